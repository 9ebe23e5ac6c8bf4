package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.ACTOR;
import static org.migtrace.trace.EventColumn.ARGS;
import static org.migtrace.trace.EventColumn.COUNT;
import static org.migtrace.trace.EventColumn.DEVICE;
import static org.migtrace.trace.EventColumn.ERRNO;
import static org.migtrace.trace.EventColumn.ERRNO_NUM;
import static org.migtrace.trace.EventColumn.FROM_STATE;
import static org.migtrace.trace.EventColumn.HOST;
import static org.migtrace.trace.EventColumn.KIND;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.PID;
import static org.migtrace.trace.EventColumn.RET;
import static org.migtrace.trace.EventColumn.STATE_RAW;
import static org.migtrace.trace.EventColumn.THREAD;
import static org.migtrace.trace.EventColumn.TID;
import static org.migtrace.trace.EventColumn.TO_STATE;
import static org.migtrace.trace.EventColumn.TS_NS;

import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.trace.DirtyRows;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.RunJoiner;
import org.migtrace.trace.TraceSink;
import org.migtrace.uapi.Errno;

/**
 * Writes the rows of syscalls, device state changes and memory writes into a {@link TraceSink},
 * with their dirty runs: the set bits of a bitmap a syscall returned, the pages a write batch
 * touched. Migration-driver steps are {@link MigrationRows}' business.
 */
public final class EventRows {
    /** The page size of memory-write runs: the guest's {@code TARGET_PAGE_SIZE}. */
    public static final long WRITE_PAGE_SIZE = UserMemory.PAGE_SIZE;

    private final TraceSink sink;
    private final BitmapRuns bitmaps = new BitmapRuns();
    private final DirtyRows dirtyRows;
    private final BitmapRuns.WordSink toRows;

    public EventRows(TraceSink sink) {
        this.sink = sink;
        this.dirtyRows = new DirtyRows(sink);
        this.toRows = dirtyRows::word;
    }

    /**
     * The row of a syscall that returned {@code ret}, stamped with its entry time, then the dirty
     * runs and words of the bitmap it returned (when it succeeded and returns one). Returns its {@code seq}.
     */
    public long syscall(TracedCall e, TracedMemory mem, long ret, CallArgs c) {
        EventRow r = sink.event();
        r.set(TS_NS, e.tsNs()).set(HOST, e.host()).set(PID, e.pid()).set(TID, e.tid()).set(THREAD, e.comm())
                .set(ACTOR, "vmm").set(KIND, "syscall");
        c.applyTo(r);
        r.set(RET, ret);
        if (ret < 0) {
            r.set(ERRNO, Errno.describe(ret)).set(ERRNO_NUM, -ret);
        }
        BitmapRequest bitmap = ret >= 0 ? c.bitmap() : null;
        if (bitmap != null && !readable(mem, bitmap)) {
            c.extra("bitmap_fault", true); // the kernel wrote it, yet it cannot be read back: no runs
            bitmap = null;
        }
        r.set(ARGS, c.json());
        long seq = r.commit();
        if (bitmap != null) {
            dirtyRows.begin(seq, DirtySource.BITMAP, bitmap.pageSize());
            bitmaps.scanWords(mem, bitmap, toRows);
            dirtyRows.end();
        }
        return seq;
    }

    /**
     * The row of a device state change. {@code within} is the syscall during which the kernel made it
     * (its caller's pid, tid and thread, and its {@code seq} as {@code args.syscall_seq}), or null.
     */
    public long state(DeviceStateEvent e, TracedCall within, long syscallSeq) {
        EventRow r = sink.event();
        r.set(TS_NS, e.tsNs()).set(HOST, e.host()).set(ACTOR, "kernel").set(KIND, "state").set(OP, "DEVICE_STATE")
                .set(DEVICE, e.device())
                .set(FROM_STATE, StateNames.of(e.protocol(), e.from()))
                .set(TO_STATE, StateNames.of(e.protocol(), e.to()))
                .set(STATE_RAW, e.to());
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("cause", e.cause());
        args.put("protocol", e.protocol());
        args.put("from", (long) e.from());
        args.put("to", (long) e.to());
        if (within != null) {
            r.set(PID, within.pid()).set(TID, within.tid()).set(THREAD, within.comm());
            args.put("syscall_seq", syscallSeq);
        }
        r.set(ARGS, Json.write(args));
        return r.commit();
    }

    /**
     * The row of a batch of memory writes ({@code length} = bytes, {@code count} = runs in the batch),
     * then its pages as dirty runs (GPA pages for CPU writes, IOVA pages for DMA; runs touching or
     * overlapping the previous one are merged).
     */
    public long write(MemoryWriteEvent e) {
        boolean cpu = "cpu".equals(e.actor());
        EventRow r = sink.event();
        r.set(TS_NS, e.tsNs()).set(HOST, e.host()).set(ACTOR, cpu ? "guest_cpu" : "device_dma").set(KIND, "write")
                .set(OP, cpu ? "CPU_WRITE" : "DMA_WRITE").set(DEVICE, e.device())
                .set(LENGTH, e.bytes()).set(COUNT, e.starts().length);
        if (!cpu) {
            r.set(ARGS, Json.write(Map.of("dropped", e.dropped())));
        }
        long seq = r.commit();
        pageRuns(seq, cpu ? DirtySource.CPU_WRITE : DirtySource.DMA_WRITE, e.starts(), e.lengths());
        return seq;
    }

    /** The 4 KiB pages of byte runs as dirty runs of event {@code seq}, merging a run into the previous one it touches. */
    private void pageRuns(long seq, DirtySource source, long[] starts, long[] lengths) {
        RunJoiner runs = new RunJoiner((first, count) -> sink.dirtyRun(seq, source, WRITE_PAGE_SIZE, first, count));
        for (int i = 0; i < starts.length; i++) {
            if (lengths[i] > 0) {
                runs.add(starts[i] >>> UserMemory.PAGE_SHIFT, (starts[i] + lengths[i] - 1 >>> UserMemory.PAGE_SHIFT) + 1);
            }
        }
        runs.close();
    }

    /** Whether the whole bitmap can be read without a gap (what {@link BitmapRuns} can read). */
    private static boolean readable(TracedMemory mem, BitmapRequest b) {
        long bytes = (b.nbits() + 7) >>> 3;
        return bytes <= mem.readableFrom(b.addr());
    }
}
