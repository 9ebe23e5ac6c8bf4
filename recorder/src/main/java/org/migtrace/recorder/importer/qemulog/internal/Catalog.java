package org.migtrace.recorder.importer.qemulog.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trace events the importer knows: every form of each, parsed from the catalog resource
 * ({@code trace-events} next to this package's parent, in the syntax of QEMU's trace-events files
 * with {@code [FIRST .. LAST]} release lines), in the order they are tried. Loaded once; a malformed
 * catalog is a bug in migtrace and fails loudly.
 */
public final class Catalog {

    /** The resource, relative to the classpath root. */
    public static final String RESOURCE = "/org/migtrace/recorder/importer/qemulog/trace-events";

    private static final Pattern DECL = Pattern.compile("([a-z0-9_]+)\\(([^)]*)\\)\\s*(.*)");
    private static final Pattern RANGE = Pattern.compile("\\[\\s*([0-9.]+(?:-[0-9.]+)?|dev)\\s*\\.\\.\\s*([0-9.]+(?:-[0-9.]+)?|dev)\\s*]");

    private static volatile Catalog builtIn;

    private final Map<String, List<EventDecl>> byName;

    private Catalog(Map<String, List<EventDecl>> byName) {
        this.byName = byName;
    }

    /** The catalog migtrace ships. */
    public static Catalog builtIn() {
        Catalog c = builtIn;
        if (c == null) {
            try (InputStream in = Catalog.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " missing from the classpath");
                }
                c = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            builtIn = c;
        }
        return c;
    }

    /**
     * Parses catalog text.
     *
     * @throws IllegalArgumentException naming the line, for anything that is not a comment, a range
     *                                  line or a declaration the format compiler accepts
     */
    public static Catalog parse(BufferedReader in) throws IOException {
        Map<String, List<EventDecl>> byName = new LinkedHashMap<>();
        Releases releases = null;
        String text;
        int line = 0;
        while ((text = in.readLine()) != null) {
            line++;
            String t = text.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                Matcher range = RANGE.matcher(t);
                if (range.matches()) {
                    releases = new Releases(release(range.group(1)), release(range.group(2)));
                    continue;
                }
                if (releases == null) {
                    throw new IllegalArgumentException("a declaration before any [FIRST .. LAST] line");
                }
                EventDecl d = declaration(t, releases, line);
                byName.computeIfAbsent(d.name(), k -> new ArrayList<>()).add(d);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("catalog line " + line + ": " + e.getMessage(), e);
            }
        }
        byName.replaceAll((k, v) -> List.copyOf(v));
        return new Catalog(Collections.unmodifiableMap(byName));
    }

    private static QemuRelease release(String label) {
        return QemuRelease.of(label).orElseThrow(() -> new IllegalArgumentException("unknown release " + label));
    }

    private static EventDecl declaration(String text, Releases releases, int line) {
        Matcher m = DECL.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not name(args) \"format\": " + text);
        }
        List<EventDecl.Arg> args = new ArrayList<>();
        String list = m.group(2).strip();
        if (!list.isEmpty() && !list.equals("void")) {
            for (String a : list.split(",")) {
                String s = a.strip();
                int cut = Math.max(s.lastIndexOf(' '), s.lastIndexOf('*'));
                if (cut <= 0 || cut == s.length() - 1) {
                    throw new IllegalArgumentException("argument without type and name: " + s);
                }
                String type = s.substring(0, cut + 1).strip();
                args.add(new EventDecl.Arg(type, s.substring(cut + 1).strip(), ArgKind.of(type)));
            }
        }
        TraceEventFormat format = TraceEventFormat.compile(TraceEventFormat.expand(m.group(3)));
        return new EventDecl(m.group(1), args, format, releases, line);
    }

    /** The forms of {@code name}, in the order to try them; empty for an event the catalog lacks. */
    public List<EventDecl> forms(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Every event name, in catalog order. */
    public Set<String> names() {
        return byName.keySet();
    }
}
