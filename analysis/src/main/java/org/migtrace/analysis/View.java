package org.migtrace.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The documented views (docs/analysis.md), in the order they are created: later views read
 * earlier ones. Each is a named {@code .sql} resource whose header comment says its inputs, outputs
 * and meaning; {@code violations} is the union of the rule catalog ({@link Rule}).
 */
public enum View {
    DEVICE_STATES("device_states"),
    EVENT_DEVICE_STATE("event_device_state", true),
    V1_REGION_ACCESSES("v1_region_accesses", true),
    DIRTY_TRACKING("dirty_tracking", true),
    DIRTY_RATE("dirty_rate"),
    DIRTY_RANGES("dirty_ranges"),
    WORKING_SET("working_set"),
    CONVERGENCE("convergence", true),
    VERDICT("verdict"),
    VIOLATIONS("violations") {
        @Override
        public String sql() {
            return Rule.unionSql();
        }
    },
    DIVERGENCES("divergences");

    private final String name;
    private final boolean materializedForAnalysis;

    View(String name) {
        this(name, false);
    }

    View(String name, boolean materializedForAnalysis) {
        this.name = name;
        this.materializedForAnalysis = materializedForAnalysis;
    }

    /**
     * Whether an analysis turns this view into a table before asking its questions: views that
     * several rules or questions read, computed once instead of once per reader.
     */
    public boolean materializedForAnalysis() {
        return materializedForAnalysis;
    }

    public String viewName() {
        return name;
    }

    public String resource() {
        return "views/" + name + ".sql";
    }

    /** The view's query (the resource's text). */
    public String sql() {
        return Sql.read(resource());
    }

    static List<View> reversed() {
        List<View> out = new ArrayList<>(List.of(values()));
        Collections.reverse(out);
        return out;
    }

    /** What identifies this build's views, so a persistent database made by another is reloaded. */
    static String fingerprint() {
        return Fingerprint.VALUE;
    }

    /** Computed once: each load checks it and, when it loads, writes it. */
    private static final class Fingerprint {
        static final String VALUE = compute();
    }

    private static String compute() {
        StringBuilder b = new StringBuilder();
        for (View v : values()) {
            b.append(v.sql());
        }
        return Integer.toHexString(b.toString().hashCode());
    }

    /** Resources next to this class. */
    static final class Sql {
        private Sql() {
        }

        static String read(String resource) {
            try (InputStream in = View.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
