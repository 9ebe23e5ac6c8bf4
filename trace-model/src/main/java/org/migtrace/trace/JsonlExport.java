package org.migtrace.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.migtrace.trace.internal.ManifestIo;

/**
 * Writes a trace as JSON lines (the form {@link JsonlImport} reads and docs/trace-format.md
 * describes): the manifest on the first line (without the table list and time span, which the
 * importer's writer recomputes), then one line per event keyed by column name with nulls left
 * out and the event's dirty runs nested as {@code "dirty_runs": [...]}, and after an ITERATION
 * event its iterations row as a line with {@code "table": "iterations"}. The output is canonical
 * (keys in column order), so export → import → export gives the same bytes.
 */
public final class JsonlExport {

    private final RecordedTrace trace;
    private final JsonGenerator json;

    private JsonlExport(RecordedTrace trace, JsonGenerator json) {
        this.trace = trace;
        this.json = json;
    }

    /** Exports the trace in {@code traceDir} to the file {@code jsonl} (created or replaced). */
    public static void export(Path traceDir, Path jsonl) throws BadTraceException, IOException {
        try (RecordedTrace trace = RecordedTrace.open(traceDir);
             Writer out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8)) {
            export(trace, out);
        }
    }

    /**
     * Writes every row of {@code trace} to {@code out} (not closed). A trace cut short is exported up
     * to its intact events, and its manifest line says {@code "complete": false}.
     *
     * @throws BadTraceException if a record batch is corrupt, or a dirty run or iterations row names
     *                           no event (run {@link TraceVerifier} for the full list)
     */
    public static void export(RecordedTrace trace, Writer out) throws BadTraceException, IOException {
        JsonGenerator json = ManifestIo.MAPPER.getFactory().createGenerator(out);
        json.setRootValueSeparator(new SerializedString("\n"));
        json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        try (json) {
            new JsonlExport(trace, json).write();
            json.writeRaw('\n');
        }
    }

    private void write() throws BadTraceException, IOException {
        ObjectNode manifest = ManifestIo.MAPPER.valueToTree(trace.manifest());
        manifest.remove(java.util.List.of("tables", "first_ts_ns", "last_ts_ns"));
        json.writeTree(manifest);
        try (TableCursor<RecordedEvent> events = trace.events();
             TableCursor<RecordedDirtyRun> runs = trace.dirtyRuns();
             TableCursor<IterationRow> iterations = trace.iterations()) {
            RecordedDirtyRun run = runs.hasNext() ? runs.next() : null;
            IterationRow iteration = iterations.hasNext() ? iterations.next() : null;
            while (events.hasNext()) {
                RecordedEvent e = events.next();
                orphan(run != null && run.eventSeq() < e.seq(), runs, "dirty run", run == null ? 0 : run.eventSeq());
                orphan(iteration != null && iteration.seq() < e.seq(), iterations, "iterations row",
                        iteration == null ? 0 : iteration.seq());
                json.writeStartObject();
                writeEventColumns(e);
                if (run != null && run.eventSeq() == e.seq()) {
                    json.writeArrayFieldStart("dirty_runs");
                    while (run != null && run.eventSeq() == e.seq()) {
                        writeRun(run);
                        run = runs.hasNext() ? runs.next() : null;
                    }
                    json.writeEndArray();
                }
                json.writeEndObject();
                if (iteration != null && iteration.seq() == e.seq()) {
                    writeIteration(iteration);
                    iteration = iterations.hasNext() ? iterations.next() : null;
                }
            }
            boolean beyondPrefix = !trace.captureComplete();
            orphan(run != null && !beyondPrefix, runs, "dirty run", run == null ? 0 : run.eventSeq());
            orphan(iteration != null && !beyondPrefix, iterations, "iterations row", iteration == null ? 0 : iteration.seq());
        }
    }

    private static void orphan(boolean orphan, TableCursor<?> cursor, String what, long seq) throws BadTraceException {
        if (orphan) {
            throw BadTraceException.atOffset(cursor.reader().index().file(), cursor.batchOffset(), what + " of seq " + seq
                    + " names no event (the trace does not verify)");
        }
    }

    private void writeEventColumns(RecordedEvent e) throws IOException {
        for (EventColumn c : EventColumn.values()) {
            Object v = e.get(c);
            if (v instanceof String s) {
                json.writeStringField(c.column(), s);
            } else if (v instanceof Number n) {
                json.writeNumberField(c.column(), n.longValue());
            }
        }
    }

    private void writeRun(RecordedDirtyRun r) throws IOException {
        json.writeStartObject();
        json.writeStringField(DirtyRunColumn.SOURCE.column(), r.source());
        json.writeNumberField(DirtyRunColumn.PAGE_SIZE.column(), r.pageSize());
        json.writeNumberField(DirtyRunColumn.FIRST_PAGE.column(), r.firstPage());
        json.writeNumberField(DirtyRunColumn.PAGE_COUNT.column(), r.pageCount());
        if (r.isWord()) {
            json.writeStringField(DirtyRunColumn.BITS.column(), String.format("0x%016x", r.bits()));
        }
        json.writeEndObject();
    }

    private void writeIteration(IterationRow r) throws IOException {
        json.writeStartObject();
        json.writeStringField(JsonlImport.TABLE_KEY, Table.ITERATIONS.tableName());
        json.writeNumberField(IterationColumn.SEQ.column(), r.seq());
        json.writeNumberField(IterationColumn.TS_NS.column(), r.tsNs());
        if (r.host() != null) {
            json.writeStringField(IterationColumn.HOST.column(), r.host());
        }
        json.writeNumberField(IterationColumn.ITERATION.column(), r.iteration());
        json.writeNumberField(IterationColumn.TIME_NS.column(), r.timeNs());
        json.writeNumberField(IterationColumn.DURATION_NS.column(), r.durationNs());
        json.writeNumberField(IterationColumn.DIRTY_PAGES_CPU.column(), r.dirtyPagesCpu());
        json.writeNumberField(IterationColumn.DIRTY_PAGES_DEVICE.column(), r.dirtyPagesDevice());
        json.writeNumberField(IterationColumn.NEW_DIRTY_PAGES.column(), r.newDirtyPages());
        json.writeNumberField(IterationColumn.BYTES_SENT.column(), r.bytesSent());
        json.writeNumberField(IterationColumn.DEVICE_BYTES_SENT.column(), r.deviceBytesSent());
        json.writeNumberField(IterationColumn.BANDWIDTH.column(), r.bandwidth());
        json.writeNumberField(IterationColumn.PENDING_BYTES.column(), r.pendingBytes());
        json.writeNumberField(IterationColumn.DEVICE_PENDING_BYTES.column(), r.devicePendingBytes());
        json.writeNumberField(IterationColumn.THRESHOLD_BYTES.column(), r.thresholdBytes());
        json.writeStringField(IterationColumn.DECISION.column(), r.decision());
        json.writeEndObject();
    }
}
