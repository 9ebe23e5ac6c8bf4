package org.migtrace.recorder.importer.qemulog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Imported;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;

/** A log imported into a real trace directory and read back: what a user of the trace sees. */
record ImportedTrace(Imported result, Manifest manifest, List<RecordedEvent> events, List<IterationRow> iterations,
                     Path dir) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Imports {@code src/test/resources/qemulog/NAME} into {@code tmp/trace}. */
    static ImportedTrace resource(String name, Path tmp) throws Exception {
        return resource(name, tmp, ImportOptions.none());
    }

    static ImportedTrace resource(String name, Path tmp, ImportOptions options) throws Exception {
        InputSource in = InputSource.of(name, () -> open(name));
        return of(in, tmp.resolve("trace"), options);
    }

    /** Imports {@code text} (named {@code name}). */
    static ImportedTrace text(String name, String text, Path tmp) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return of(InputSource.of(name, () -> new ByteArrayInputStream(bytes)), tmp.resolve("trace"),
                ImportOptions.none());
    }

    static ImportedTrace of(InputSource in, Path dir, ImportOptions options) throws Exception {
        Imported result = Importers.toTrace(new QemuLogImporter(), in, dir, options);
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            List<RecordedEvent> events = new ArrayList<>();
            try (TableCursor<RecordedEvent> c = trace.events()) {
                while (c.hasNext()) {
                    events.add(c.next());
                }
            }
            List<IterationRow> iterations = new ArrayList<>();
            try (TableCursor<IterationRow> c = trace.iterations()) {
                while (c.hasNext()) {
                    iterations.add(c.next());
                }
            }
            return new ImportedTrace(result, trace.manifest(), events, iterations, dir);
        }
    }

    static InputStream open(String name) {
        InputStream in = ImportedTrace.class.getResourceAsStream("/qemulog/" + name);
        if (in == null) {
            throw new UncheckedIOException(new IOException("no test resource qemulog/" + name));
        }
        return in;
    }

    /** The tracepoint rows of event {@code op}. */
    List<RecordedEvent> tracepoints(String op) {
        return events.stream().filter(e -> e.kind().equals("tracepoint") && e.op().equals(op)).toList();
    }

    /** The only tracepoint row of {@code op}. */
    RecordedEvent only(String op) {
        List<RecordedEvent> all = tracepoints(op);
        if (all.size() != 1) {
            throw new AssertionError(all.size() + " rows of " + op);
        }
        return all.get(0);
    }

    /** The migration rows, as {@code OP} strings in order. */
    List<String> migrationOps() {
        return events.stream().filter(e -> e.kind().equals("migration")).map(RecordedEvent::op).toList();
    }

    /** The event with {@code seq}. */
    RecordedEvent event(long seq) {
        return events.stream().filter(e -> e.seq() == seq).findFirst().orElseThrow();
    }

    static JsonNode args(RecordedEvent e) {
        try {
            return JSON.readTree(e.args());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
