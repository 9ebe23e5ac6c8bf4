package org.migtrace.recorder.importer.bpftrace.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.sim.Sys;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.TraceSink;

/**
 * The import loop: bpftrace's JSON objects in, rows out. Each object is dispatched on its
 * {@code type}: the capture script's printf lines become calls (held in a {@link ReorderBuffer} and
 * written in entry order through {@link CallRows}), memory blocks (kept per thread until that
 * thread's call line), markers (start, end, tick) or VMM trace points; {@code lost_events} is
 * counted into the sink and becomes a {@code lost} row where it arrived; bpftrace's errors and
 * warnings become {@code diagnostic} rows and are counted; everything else is counted by type in the
 * report. The sink is flushed at least once per {@code flushNs} of wall time while lines arrive.
 */
public final class BpftraceStream {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Blocks one call can bring: 8 (caps, ranges, name) and the bitmap's chunks (512 with the shipped
     * script's 32 KiB; what the start line's {@code bitmap_cap} says, up to 64 MiB); more means a lost
     * call line, and the oldest go.
     */
    private static final int MIN_BLOCKS_PER_THREAD = 1024;
    private static final int MAX_BLOCKS_PER_THREAD = 1 << 20;

    private final TraceSink sink;
    private final String sourceName;
    private final BpftraceImport.Options options;
    private final LongSupplier wallNs;
    private final Payload payload = new Payload();
    private final CallRows rows;
    private final ReorderBuffer buffer;
    private final Map<Integer, List<long[]>> blocks = new HashMap<>();
    private final Messages diagnostics = new Messages(200);
    private final Messages other = new Messages(200);
    private long arrival;
    private long lines;
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
    private int blocksPerThread = MIN_BLOCKS_PER_THREAD;

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

    /** Reads {@code in} to its end and writes every row; the report says what else the stream held. */
    public BpftraceReport run(InputStream in) throws BadTraceException, IOException {
        nextFlush = wallNs.getAsLong() + options.flushNs();
        long truncated;
        try (EnvelopeReader reader = new EnvelopeReader(in, sourceName)) {
            Envelope e;
            while ((e = reader.next()) != null) {
                lines++;
                dispatch(e);
                if ((lines & 1023) == 0) {
                    housekeeping(false);
                }
            }
            truncated = reader.truncated();
        }
        buffer.drain();
        for (List<long[]> b : blocks.values()) {
            orphanBlocks += b.size();
        }
        blocks.clear();
        housekeeping(true);
        return report(truncated);
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

    private void dispatch(Envelope e) throws BadTraceException, IOException {
        String type = e.type();
        if (type == null) {
            throw BadTraceException.atLine(java.nio.file.Path.of(sourceName), e.line(),
                    "a bpftrace JSON object without \"type\"");
        }
        switch (type) {
            case "printf" -> printf(e);
            case "lost_events" -> lostEvents(e);
            case "attached_probes" -> attached = number(e.tree() == null ? null : e.tree().get("probes"), e.member("count"));
            case "helper_error", "errorf", "warnf", "runtime_error" -> diagnostic(e);
            default -> other.add(type, sample(e), e.line());
        }
    }

    private void printf(Envelope e) throws IOException {
        if (!e.hasText()) {
            other.add("printf", sample(e), e.line());
            return;
        }
        if (!payload.parse(e.textChars(), e.textLength())) {
            generic(e);
            return;
        }
        switch (payload.shape) {
            case MARKER -> marker(e);
            case MEM -> {
                List<long[]> list = blocks.computeIfAbsent(payload.tid, k -> new ArrayList<>());
                if (list.size() >= blocksPerThread) {
                    list.remove(0);
                    orphanBlocks++;
                }
                long[] b = new long[payload.wN + 1];
                b[0] = payload.mem;
                System.arraycopy(payload.w, 0, b, 1, payload.wN);
                list.add(b);
            }
            case CALL -> call(e);
            default -> throw new IllegalStateException("shape " + payload.shape);
        }
    }

    private void marker(Envelope e) throws IOException {
        switch (payload.marker) {
            case "start" -> {
                started = true;
                script = payload.script;
                bitmapCap = payload.bitmapCap;
                blocksPerThread = (int) Math.max(MIN_BLOCKS_PER_THREAD,
                        Math.min(MAX_BLOCKS_PER_THREAD, bitmapCap / 64 + 16));
                options.progress().started(attached == null ? -1 : attached);
            }
            case "end" -> ended = true;
            case "tick" -> {
                buffer.advance(payload.tsNs);
                housekeeping(false);
            }
            default -> other.add("printf", sample(e), e.line());
        }
    }

    private void call(Envelope e) {
        Sys sys = payload.sys;
        if (sys == null) {
            other.add("printf", sample(e), e.line());
            return;
        }
        List<long[]> mine = blocks.remove(payload.tid);
        Pending.Call c = new Pending.Call(payload.tsNs, arrival++, payload.t1, payload.pid, payload.tid, payload.thread,
                sys, payload.fd, payload.k, payload.cmd, payload.arg, payload.count, payload.offset, payload.ret,
                Arrays.copyOf(payload.in, payload.inN), Arrays.copyOf(payload.out, payload.outN), payload.bitmap,
                payload.bitmapCaptured, payload.object, mine == null ? List.of() : mine);
        syscalls++;
        lastTs = Math.max(lastTs, payload.tsNs);
        buffer.add(c);
        buffer.advance(payload.t1);
    }

    /** A printf line that is not one of the script's flat lines: a VMM trace point in JSON-lines form, or other text. */
    private void generic(Envelope e) {
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
            buffer.add(new Pending.Tracepoint(ts, arrival++, columns, args == null || args.isNull() ? null : args.toString()));
            buffer.advance(ts);
            tracepoints++;
        } else {
            other.add("printf", sample(e), e.line());
        }
    }

    private void lostEvents(Envelope e) {
        Long n = number(e.tree() == null ? null : e.tree().get("events"), e.member("count"));
        long count = n == null ? 0 : n;
        lost += count;
        lossReports++;
        sink.addLostEvents(count);
        buffer.add(new Pending.Lost(now(), arrival++, count, e.line()));
    }

    private void diagnostic(Envelope e) {
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
        buffer.add(new Pending.Diagnostic(now(), arrival++, e.type(), details));
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
