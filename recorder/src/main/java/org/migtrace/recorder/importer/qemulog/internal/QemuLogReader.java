package org.migtrace.recorder.importer.qemulog.internal;

import static org.migtrace.trace.EventColumn.ACTOR;
import static org.migtrace.trace.EventColumn.ARGS;
import static org.migtrace.trace.EventColumn.HOST;
import static org.migtrace.trace.EventColumn.KIND;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.TID;
import static org.migtrace.trace.EventColumn.TS_NS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Imported;
import org.migtrace.recorder.importer.Importer;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.internal.Json;
import org.migtrace.recorder.internal.SimManifest;
import org.migtrace.trace.Actor;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.NewTrace;
import org.migtrace.trace.EventKind;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceSink;

/**
 * One import of a QEMU log: each line split ({@link LogLine}), its event read with the catalog's
 * forms ({@link ParsedEvent}), written as a {@code tracepoint} row ({@link TracepointColumns}), and
 * passed to {@link Iterations}; lines it does not know are counted by name. Streams: memory is the
 * current line plus a few counters, however long the log.
 */
public final class QemuLogReader {

    /** The key of lines that are not trace events (qemu_log, error_report, other output). */
    public static final String NOT_AN_EVENT = "(not a trace event)";
    /** The key of lines cut at {@link InputSource#MAX_LINE}. */
    public static final String TOO_LONG = "(line too long)";
    /** Appended to the name of a known event whose text no known form matches. */
    public static final String NO_FORM = " (no known format)";
    /** The source kind in the manifest. */
    public static final String SOURCE = "qemu-log";

    private final InputSource input;
    private final ImportOptions options;
    private final Catalog catalog;
    private final Clock clock = new Clock();
    private final Devices devices = new Devices();
    private final Versions versions = new Versions();
    private final SortedMap<String, Long> skipped = new TreeMap<>();
    private TraceSink sink;
    private Iterations iterations;
    private long tracepoints;
    private long dirtyReports;
    private long migrationLines;

    public QemuLogReader(InputSource input, ImportOptions options, Catalog catalog) {
        this.input = input;
        this.options = options;
        this.catalog = catalog;
    }

    /** Reads the whole input into the sink {@code sinks} opens. */
    public Imported run(NewTrace.SinkFactory sinks) throws BadTraceException, IOException {
        sink = sinks.open(Manifest.start(source(), List.of(), null, null, List.of(), List.of(), null));
        iterations = new Iterations(sink, options.host());
        long lines;
        try (InputSource.Lines in = input.open()) {
            String text;
            while ((text = in.next()) != null) {
                line(text, in.number(), in.truncated());
            }
            lines = in.number();
        }
        iterations.end(clock.last());
        return new Imported(manifest(), lines, tracepoints + iterations.events(), 0, iterations.rows(), skipped);
    }

    private void line(String text, long number, boolean truncated) throws BadTraceException {
        if (text.indexOf('\0') >= 0) {
            throw BadTraceException.atLine(input.path(), number, "binary data (a NUL byte): not a QEMU log (the log"
                    + " trace backend writes text lines; a simpletrace file is read with scripts/simpletrace.py)");
        }
        if (truncated) {
            skip(TOO_LONG);
            return;
        }
        if (text.isBlank()) {
            return;
        }
        LogLine l = LogLine.parse(text);
        if (l.name() == null) {
            skip(NOT_AN_EVENT);
            return;
        }
        List<EventDecl> forms = catalog.forms(l.name());
        if (forms.isEmpty()) {
            // an unknown name counts as an event when it looks like one: prefixed by the backend, or QEMU's snake_case
            skip(l.shape() != LogLine.Shape.PLAIN || l.name().indexOf('_') > 0 ? l.name() : NOT_AN_EVENT);
            return;
        }
        ParsedEvent e = ParsedEvent.parse(forms, l.rest());
        if (e == null) {
            skip(l.name() + NO_FORM);
            return;
        }
        event(l, e, clock.ts(l, number));
    }

    private void event(LogLine l, ParsedEvent e, long ts) {
        iterations.before(e, ts);
        EventRow r = sink.event();
        r.set(TS_NS, ts).set(HOST, options.host());
        if (l.tid() >= 0) {
            r.set(TID, l.tid());
        }
        r.set(ACTOR, Actor.VMM.label()).set(KIND, EventKind.TRACEPOINT.label()).set(OP, e.name());
        TracepointColumns.fill(e, r);
        Map<String, Object> args = e.args();
        r.set(ARGS, args.isEmpty() ? null : Json.write(args));
        r.commit();
        tracepoints++;
        devices.saw(e);
        versions.saw(e.decl());
        if (e.name().endsWith("_dirty_bitmap") && e.name().startsWith("vfio_")) {
            dirtyReports++;
        }
        if (e.name().startsWith("migrat")) {
            migrationLines++;
        }
        iterations.after(e, ts, l.stamped());
    }

    private void skip(String key) {
        skipped.merge(key, 1L, Long::sum);
    }

    /** The final description: devices, the inferred QEMU version, and the notes. */
    private Manifest manifest() {
        String host = options.host();
        String qemu = versions.qemu();
        List<Manifest.HostInfo> hosts = host == null && qemu == null ? List.of()
                : List.of(new Manifest.HostInfo(host, null, qemu));
        Manifest m = Manifest.start(source(), hosts, null, null, devices.manifest(host), List.of(), null);
        return m.finished(List.of(), 0, true, null, null).withNotes(notes());
    }

    /** The manifest's source: this importer, migtrace's version, the command. */
    private Manifest.Source source() {
        return new Manifest.Source(SOURCE, "migtrace " + SimManifest.version(), options.command());
    }

    private List<String> notes() {
        List<String> notes = new ArrayList<>(clock.notes());
        String version = versions.note();
        if (version != null) {
            notes.add(version);
        }
        if (dirtyReports > 0) {
            notes.add("dirty pages: the log has VFIO dirty-bitmap queries with page counts (args.dirty_pages), not"
                    + " the bitmaps: no dirty_runs rows");
        }
        if (migrationLines > 0 && iterations.syncs() == 0) {
            notes.add("iterations: the log has no migration_bitmap_sync_end events, so no iterations rows (trace"
                    + " migration_bitmap_sync_* for them)");
        }
        long total = skipped.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            notes.add(total + " lines not understood, counted and not imported: " + byFrequency(skipped));
        }
        return notes;
    }

    /** Every key with its count, the most frequent first: {@code 12 ram_save_page, 3 (not a trace event), ...}. */
    static String byFrequency(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, Long> e : Imported.byFrequency(counts)) {
            parts.add(e.getValue() + " " + e.getKey());
        }
        return String.join(", ", parts);
    }
}
