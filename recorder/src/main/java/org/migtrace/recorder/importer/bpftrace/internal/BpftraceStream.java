package org.migtrace.recorder.importer.bpftrace.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.TraceSink;

/**
 * The import loop: bpftrace's JSON objects in, rows out. Each object is dispatched on its
 * {@code type}: the capture script's printf lines become calls (with the memory blocks their thread
 * sent before them; held in a {@link ReorderBuffer} and written in entry order through
 * {@link CallRows}), markers (start, end, tick) or VMM trace points; {@code lost_events} is
 * counted into the sink and becomes a {@code lost} row where it arrived; bpftrace's errors and
 * warnings become {@code diagnostic} rows and are counted; everything else is counted by type in the
 * report. The input is read and parsed by a {@link LineParser} on its own thread; this one turns
 * what it parsed into rows. The sink is flushed at least once per {@code flushNs} of wall time,
 * whether lines arrive or not.
 */
public final class BpftraceStream {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TraceSink sink;
    private final String sourceName;
    private final BpftraceImport.Options options;
    private final LongSupplier wallNs;
    private final CallRows rows;
    private final ReorderBuffer buffer;
    private final Messages diagnostics = new Messages(200);
    private final Messages other = new Messages(200);
    private long lines;
    private long dispatched;
    private long syscalls;
    private long tracepoints;
    private long lost;
    private long lossReports;
    private Long attached;
    private long script;
    private long bitmapCap;
    private boolean started;
    private boolean ended;
    private long orphanBlocks;
    private long lastTs;
    private long nextFlush;

    public BpftraceStream(TraceSink sink, String sourceName, BpftraceImport.Options options, LongSupplier wallNs) {
        this.sink = sink;
        this.sourceName = sourceName;
        this.options = options;
        this.wallNs = wallNs;
        FdNames names = new FdNames(options.cdevName());
        options.openFds().forEach((fd, open) -> names.opened(fd, open.kind(), open.path()));
        this.rows = new CallRows(sink, options.host(), names);
        this.buffer = new ReorderBuffer(options.reorderWindowNs(), options.maxHeld(), rows::write);
    }

    /**
     * Reads {@code in} to its end and writes every row; the report says what else the stream held.
     * The input is read and parsed on a thread of its own ({@link LineParser}) while this one
     * writes the rows.
     */
    public BpftraceReport run(InputStream in) throws BadTraceException, IOException {
        nextFlush = wallNs.getAsLong() + options.flushNs();
        LineParser parser = new LineParser(in, sourceName);
        Thread reading = new Thread(parser, "migtrace-bpftrace-reader");
        reading.setDaemon(true);
        reading.start();
        long truncated;
        try {
            truncated = consume(parser);
        } finally {
            parser.stop();
        }
        buffer.drain();
        housekeeping(true);
        return report(truncated);
    }

    /** Turns the parser's items into rows until its end; returns the line of a cut-off last object, or 0. */
    private long consume(LineParser parser) throws BadTraceException, IOException {
        while (true) {
            List<LineParser.Item> items;
            try {
                items = parser.poll(nextFlush - wallNs.getAsLong());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading " + sourceName);
            }
            if (items == null) {
                lines = parser.objectsRead();
                housekeeping(false); // nothing arrived: still flush on time
                continue;
            }
            for (LineParser.Item item : items) {
                if (item instanceof LineParser.End end) {
                    lines = end.objects();
                    orphanBlocks = end.orphanBlocks();
                    return end.truncatedAt();
                }
                if (item instanceof LineParser.Failed failed) {
                    if (failed.error() instanceof BadTraceException b) {
                        throw b;
                    }
                    if (failed.error() instanceof IOException io) {
                        throw io;
                    }
                    throw (RuntimeException) failed.error();
                }
                dispatch(item);
                if ((++dispatched & 1023) == 0) {
                    lines = parser.objectsRead();
                    housekeeping(false);
                }
            }
        }
    }

    private BpftraceReport report(long truncated) {
        return new BpftraceReport(sourceName, lines, rows.rowsWritten(), syscalls, tracepoints, lost, lossReports, attached,
                script, bitmapCap, started, ended, truncated, rows.late(), rows.partialBitmaps(), orphanBlocks,
                diagnostics.list(), other.list());
    }

    /** Flushes the sink when the wall clock says it is time (or {@code force}); tells the progress listener. */
    private void housekeeping(boolean force) throws IOException {
        long now = wallNs.getAsLong();
        if (force || now >= nextFlush) {
            sink.flush();
            nextFlush = now + options.flushNs();
            options.progress().update(rows.rowsWritten(), lost, lines, buffer.size());
        }
    }

    private void dispatch(LineParser.Item item) throws BadTraceException, IOException {
        if (item instanceof LineParser.Call c) {
            call(c.call());
        } else if (item instanceof LineParser.Marker m) {
            marker(m);
        } else if (item instanceof LineParser.Other o) {
            other(o.envelope(), o.arrival());
        } else {
            throw new IllegalStateException("item " + item);
        }
    }

    private void other(Envelope e, long arrival) throws BadTraceException {
        String type = e.type();
        if (type == null) {
            throw BadTraceException.atLine(java.nio.file.Path.of(sourceName), e.line(),
                    "a bpftrace JSON object without \"type\"");
        }
        switch (type) {
            case "printf" -> {
                if (e.hasText()) {
                    generic(e, arrival);
                } else {
                    other.add("printf", sample(e), e.line());
                }
            }
            case "lost_events" -> lostEvents(e, arrival);
            case "attached_probes" -> attached = number(e.tree() == null ? null : e.tree().get("probes"), e.member("count"));
            case "helper_error", "errorf", "warnf", "runtime_error" -> diagnostic(e, arrival);
            default -> other.add(type, sample(e), e.line());
        }
    }

    private void marker(LineParser.Marker m) throws IOException {
        switch (m.marker()) {
            case "start" -> {
                started = true;
                script = m.script();
                bitmapCap = m.bitmapCap();
                options.progress().started(attached == null ? -1 : attached);
            }
            case "end" -> ended = true;
            case "tick" -> {
                buffer.advance(m.tsNs());
                housekeeping(false);
            }
            default -> other.add("printf", sample(m.envelope()), m.envelope().line());
        }
    }

    private void call(Pending.Call c) {
        syscalls++;
        lastTs = Math.max(lastTs, c.tsNs());
        buffer.add(c);
        buffer.advance(c.t1());
    }

    /** A printf line that is not one of the script's flat lines: a VMM trace point in JSON-lines form, or other text. */
    private void generic(Envelope e, long arrival) {
        JsonNode node;
        try {
            node = JSON.readTree(e.text());
        } catch (IOException | RuntimeException ex) {
            node = null;
        }
        if (node instanceof ObjectNode o && o.path("kind").asText("").equals("tracepoint") && o.path("ts_ns").canConvertToLong()
                && o.path("op").isTextual()) {
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("actor", "vmm");
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode v = f.getValue();
                if (v.isIntegralNumber()) {
                    columns.put(f.getKey(), v.asLong());
                } else if (v.isTextual()) {
                    columns.put(f.getKey(), v.asText());
                }
            }
            JsonNode args = o.get("args");
            long ts = o.get("ts_ns").asLong();
            lastTs = Math.max(lastTs, ts);
            buffer.add(new Pending.Tracepoint(ts, arrival, columns, args == null || args.isNull() ? null : args.toString()));
            buffer.advance(ts);
            tracepoints++;
        } else {
            other.add("printf", sample(e), e.line());
        }
    }

    private void lostEvents(Envelope e, long arrival) {
        Long n = number(e.tree() == null ? null : e.tree().get("events"), e.member("count"));
        long count = n == null ? 0 : n;
        lost += count;
        lossReports++;
        sink.addLostEvents(count);
        buffer.add(new Pending.Lost(now(), arrival, count, e.line()));
    }

    private void diagnostic(Envelope e, long arrival) {
        Map<String, Object> details = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, JsonNode> m : e.members().entrySet()) {
            JsonNode v = m.getValue();
            details.put(m.getKey(), v.isIntegralNumber() ? (Object) v.asLong() : v.asText());
        }
        if (e.hasText()) {
            details.put("msg", e.text());
        }
        details.put("input_line", e.line());
        Object helper = details.get("helper");
        Object msg = details.get("msg");
        if (helper != null) {
            text.append(helper).append(": ");
        }
        text.append(msg != null ? msg : details.containsKey("retcode") ? "retcode " + details.get("retcode") : "");
        if (details.get("line") != null) {
            text.append(" (script line ").append(details.get("line")).append(')');
        }
        diagnostics.add(e.type(), text.toString().strip(), e.line());
        buffer.add(new Pending.Diagnostic(now(), arrival, e.type(), details));
    }

    /**
     * Where a loss or a diagnostic (which have no time of their own) is placed: at the latest entry
     * time read so far, after the rows that arrived before it.
     */
    private long now() {
        return Math.max(0, lastTs);
    }

    /** {@code data.X} (all versions) or the top-level {@code count} (0.24+; a string when it is large). */
    private static Long number(JsonNode data, JsonNode count) {
        for (JsonNode n : new JsonNode[] {data, count}) {
            if (n != null && n.canConvertToLong()) {
                return n.asLong();
            }
            if (n != null && n.isTextual()) {
                try {
                    return Long.parseLong(n.asText());
                } catch (NumberFormatException ex) {
                    // not a number: try the next
                }
            }
        }
        return null;
    }

    private static String sample(Envelope e) {
        String s = e.hasText() ? e.text() : e.tree() != null ? e.tree().toString() : e.members().toString();
        s = s.strip();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
