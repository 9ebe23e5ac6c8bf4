package org.migtrace.recorder.importer.bpftrace.internal;

import static org.migtrace.trace.EventColumn.ACTOR;
import static org.migtrace.trace.EventColumn.ARGS;
import static org.migtrace.trace.EventColumn.COUNT;
import static org.migtrace.trace.EventColumn.HOST;
import static org.migtrace.trace.EventColumn.KIND;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.TS_NS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.migtrace.recorder.internal.BitmapRequest;
import org.migtrace.recorder.internal.BitmapRuns;
import org.migtrace.recorder.internal.CallArgs;
import org.migtrace.recorder.internal.EventRows;
import org.migtrace.recorder.internal.Json;
import org.migtrace.recorder.internal.StructValues;
import org.migtrace.recorder.internal.SyscallDecoder;
import org.migtrace.recorder.internal.TracedCall;
import org.migtrace.sim.Sys;
import org.migtrace.trace.ColumnType;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.TraceSink;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;

/**
 * Writes what the capture held, in entry order, as the rows a simulated recording has for the same
 * calls: each call goes through the recorder's own decoder ({@link SyscallDecoder}, the struct
 * codecs, {@link EventRows} and its bitmap scan) over the memory the script copied. What only a
 * real capture knows is added to {@code args}: {@code duration_ns} (exit minus entry),
 * {@code bitmap_bytes} and {@code bitmap_captured_bytes} of a returned dirty bitmap (the dirty runs
 * cover the captured prefix only; a failed call's buffer, as runs, in {@code bitmap_after_failure}), {@code fd_kind_inferred} for an fd whose kind came from an ioctl
 * number, {@code raw} words of an ioctl no codec names, and {@code entry_ts_ns} of a row written
 * later than the rows after it (its {@code ts_ns} is then the previous row's).
 */
public final class CallRows {
    /** Runs of a failed call's bitmap buffer kept in its args. */
    public static final int MAX_FAILURE_RUNS = 64;

    private final TraceSink sink;
    private final String host;
    private final SyscallDecoder decoder = new SyscallDecoder();
    private final EventRows rows;
    private final FdNames names;
    private final BitmapRuns scanner = new BitmapRuns();
    /** The memory of the call being written (one at a time: reused, so its bitmap buffer is too). */
    private final CapturedMemory memory = new CapturedMemory();
    /** The arguments of the call being written (one at a time: reused). */
    private final CallArgs callArgs = new CallArgs();
    private long lastTs = Long.MIN_VALUE;
    private long rowsWritten;
    private long late;
    private long partialBitmaps;

    public CallRows(TraceSink sink, String host, FdNames names) {
        this.sink = sink;
        this.host = host;
        this.rows = new EventRows(sink);
        this.names = names;
    }

    /** Writes one pending line as its row(s). */
    public void write(Pending p) {
        long ts = p.tsNs();
        Long entry = null;
        if (ts < lastTs) {
            entry = ts;
            ts = lastTs;
            late++;
        }
        lastTs = ts;
        if (p instanceof Pending.Call c) {
            call(c, ts, entry);
        } else if (p instanceof Pending.Tracepoint t) {
            tracepoint(t, ts, entry);
        } else if (p instanceof Pending.Lost l) {
            lost(l, ts);
        } else {
            diagnostic((Pending.Diagnostic) p, ts);
        }
        rowsWritten++;
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    /** Rows written after rows that entered later (their call outlasted the reorder window). */
    public long late() {
        return late;
    }

    /** Returned bitmaps the capture holds only a prefix of. */
    public long partialBitmaps() {
        return partialBitmaps;
    }

    /** The fd kind of the script's code ({@code k}: 1..5, +16 when inferred). */
    public static FdKind kind(int code) {
        return switch (code & 15) {
            case 1 -> FdKind.CONTAINER;
            case 2 -> FdKind.GROUP;
            case 3 -> FdKind.DEVICE;
            case 4 -> FdKind.IOMMUFD;
            case 5 -> FdKind.MIG_DATA;
            default -> FdKind.OTHER;
        };
    }

    private void call(Pending.Call c, long ts, Long entry) {
        FdKind kind = c.sys() == Sys.OPENAT ? FdKind.OTHER : kind(c.kind());
        String object = c.sys() == Sys.OPENAT ? c.path() : names.name(c.fd(), kind);
        TracedCall call = new TracedCall(host, c.pid(), c.tid(), c.thread(), ts, c.sys(),
                c.sys() == Sys.OPENAT ? -1 : c.fd(), kind, object, c.cmd(), c.arg(), c.count(), c.offset());
        CapturedMemory mem = memory(c);
        phase(c, mem, c.in());
        CallArgs args = decoder.enter(call, mem, callArgs);
        phase(c, mem, c.out());
        decoder.exit(call, mem, c.ret(), args);
        if (c.t1() >= c.tsNs()) {
            args.extra("duration_ns", c.t1() - c.tsNs());
        }
        if (entry != null) {
            args.extra("entry_ts_ns", entry);
        }
        if (c.kind() >= 16) {
            args.extra("fd_kind_inferred", true);
        }
        Ioctl ioctl = null;
        if (c.sys() == Sys.IOCTL) {
            ioctl = Ioctl.lookup(kind, c.cmd() & 0xFFFF_FFFFL).orElse(null); // vfs_ioctl: the command is an unsigned int
            ioctlExtras(c, ioctl, kind, args, mem);
        }
        rows.syscall(call, mem, c.ret(), args);
        track(c, ioctl, kind, args);
    }

    /** The memory the script copied for a call: its returned bitmap's captured prefix and the blocks. */
    private CapturedMemory memory(Pending.Call c) {
        memory.clear();
        memory.bitmap(c.bitmap(), (int) c.bitmapCaptured());
        List<long[]> blocks = c.blocks();
        for (int i = 0; i < blocks.size(); i++) { // indexed: no iterator per call
            long[] b = blocks.get(i);
            memory.block(b[0], b, 1, b.length - 1);
        }
        return memory;
    }

    /** Sets the argument struct of {@code mem} to {@code words}: as the call saw it at entry ({@code in}) or at exit ({@code out}). */
    private static void phase(Pending.Call c, CapturedMemory mem, long[] words) {
        boolean regionAccess = c.sys() == Sys.PREAD64 || c.sys() == Sys.PWRITE64;
        if (c.sys() == Sys.IOCTL) {
            mem.phase(c.arg(), words, words.length, words.length * 8);
        } else if (regionAccess && Long.compareUnsigned(c.count(), 8) <= 0) { // size_t, as the script compares it
            mem.phase(c.arg(), words, Math.min(1, words.length), (int) c.count());
        }
    }

    /** An unnamed ioctl's raw words ({@code ioctl} null); a returned bitmap's captured share. */
    private void ioctlExtras(Pending.Call c, Ioctl ioctl, FdKind kind, CallArgs args, CapturedMemory out) {
        if (ioctl == null) {
            Map<String, Object> raw = new LinkedHashMap<>();
            raw.put("arg", StructValues.unsigned(c.arg()));
            raw.put("in", hex(c.in()));
            if (c.ret() >= 0) {
                raw.put("out", hex(c.out()));
            }
            if (kind == FdKind.OTHER) {
                List<String> candidates = new ArrayList<>();
                for (Ioctl i : Ioctl.candidates(c.cmd() & 0xFFFF_FFFFL)) {
                    candidates.add(i.name());
                }
                raw.put("candidates", candidates);
            }
            args.extra("raw", raw);
        }
        BitmapRequest bitmap = args.bitmap();
        if (bitmap == null) {
            return;
        }
        long bytes = (bitmap.nbits() + 7) >>> 3;
        long captured = c.bitmap() == bitmap.addr() ? Math.min(bytes, c.bitmapCaptured()) : 0;
        args.extra("bitmap_bytes", bytes).extra("bitmap_captured_bytes", captured);
        BitmapRequest prefix = captured == 0 ? null : captured == bytes ? bitmap
                : new BitmapRequest(bitmap.addr(), Math.min(bitmap.nbits(), captured * 8), bitmap.firstPage(), bitmap.pageSize());
        if (c.ret() >= 0) {
            if (captured < bytes) {
                partialBitmaps++;
                args.bitmap(prefix);
            }
        } else if (prefix != null) {
            args.extra("bitmap_after_failure", afterFailure(out, prefix));
        }
    }

    /**
     * What the user's bitmap buffer held after a failed call, as runs of set bits (absolute pages, at most
     * {@link #MAX_FAILURE_RUNS}): not a dirty report (the call failed), but what the kernel may have written
     * before failing, or what the caller left there.
     */
    private Map<String, Object> afterFailure(CapturedMemory mem, BitmapRequest prefix) {
        List<List<Long>> runs = new ArrayList<>();
        long[] total = {0};
        scanner.scan(mem, prefix, (first, count) -> {
            if (runs.size() < MAX_FAILURE_RUNS) {
                runs.add(List.of(first, count));
            }
            total[0]++;
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        m.put("run_count", total[0]);
        return m;
    }

    /** What the call did to the fd table: names for the fds it opened, forgetting the one it closed. */
    private void track(Pending.Call c, Ioctl ioctl, FdKind kind, CallArgs args) {
        if (c.ret() < 0) {
            return;
        }
        switch (c.sys()) {
            case OPENAT -> names.opened((int) c.ret(), kind(c.kind()), c.path());
            case CLOSE -> names.closed(c.fd());
            case IOCTL -> {
                if (ioctl == Ioctl.VFIO_GROUP_GET_DEVICE_FD) {
                    Object name = args.inOrNull() == null ? null : args.inOrNull().get("name");
                    names.device((int) c.ret(), name instanceof String s ? s : null);
                } else if (ioctl == Ioctl.VFIO_DEVICE_FEATURE) {
                    dataFd(c, kind, args);
                }
            }
            default -> {
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void dataFd(Pending.Call c, FdKind kind, CallArgs args) {
        Map<String, Object> out = args.outOrNull();
        if (out == null || !(out.get("data") instanceof Map<?, ?> data)) {
            return;
        }
        Long fd = StructValues.raw(((Map<String, Object>) data).get("data_fd"));
        Object requested = args.inOrNull() == null ? null : ((Map<String, Object>) args.inOrNull().get("data")) == null
                ? null : ((Map<String, Object>) args.inOrNull().get("data")).get("device_state");
        Long state = StructValues.raw(requested);
        if (fd != null && fd >= 0) {
            names.dataFd(fd.intValue(), names.name(c.fd(), kind), state != null && state == 4 ? "RESUMING" : "SAVING");
        }
    }

    private static List<String> hex(long[] words) {
        List<String> out = new ArrayList<>(words.length);
        for (long w : words) {
            out.add(String.format(Locale.ROOT, "%016x", w));
        }
        return out;
    }

    private void tracepoint(Pending.Tracepoint t, long ts, Long entry) {
        EventRow r = sink.event();
        r.set(TS_NS, ts).set(HOST, host);
        for (Map.Entry<String, Object> e : t.columns().entrySet()) {
            EventColumn col = column(e.getKey());
            if (col == null || col == TS_NS || col == EventColumn.SEQ || col == ARGS) {
                continue;
            }
            if (e.getValue() instanceof Number n && col.spec().type() != ColumnType.UTF8) {
                r.set(col, n.longValue());
            } else if (e.getValue() instanceof String s && col.spec().type() == ColumnType.UTF8) {
                r.set(col, s);
            }
        }
        String args = t.args();
        if (entry != null) {
            args = args == null ? "{\"entry_ts_ns\":" + entry + "}"
                    : args.substring(0, args.length() - 1) + (args.length() > 2 ? "," : "") + "\"entry_ts_ns\":" + entry + "}";
        }
        r.set(ARGS, args);
        r.commit();
    }

    private static EventColumn column(String key) {
        try {
            return EventColumn.valueOf(key.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void lost(Pending.Lost l, long ts) {
        sink.event().set(TS_NS, ts).set(HOST, host).set(ACTOR, "capture").set(KIND, "lost").set(OP, "LOST")
                .set(COUNT, l.count()).set(ARGS, Json.write(Map.of("input_line", l.line()))).commit();
    }

    private void diagnostic(Pending.Diagnostic d, long ts) {
        sink.event().set(TS_NS, ts).set(HOST, host).set(ACTOR, "capture").set(KIND, "diagnostic").set(OP, d.type())
                .set(ARGS, Json.write(d.details())).commit();
    }
}
