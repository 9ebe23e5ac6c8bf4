package org.migtrace.recorder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.migtrace.recorder.internal.CallArgs;
import org.migtrace.recorder.internal.EventRows;
import org.migtrace.recorder.internal.MigrationRows;
import org.migtrace.recorder.internal.SyscallDecoder;
import org.migtrace.recorder.internal.TracedCall;
import org.migtrace.recorder.internal.TracedMemory;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.trace.TraceSink;

/**
 * Records what the simulated stack does into a {@link TraceSink}: one events row per syscall
 * (kind {@code syscall}), device state change ({@code state}), memory-write batch ({@code write})
 * and migration-driver step ({@code migration}); the dirty runs of every bitmap a syscall returns
 * and of every write batch; an iterations row per sync.
 *
 * <h2>Order</h2>
 * Rows are in the order things were <em>issued or happened</em>: a syscall's row takes the place of
 * its entry, stamped with its entry time, and whatever happened inside the call (the state arcs a
 * {@code MIG_DEVICE_STATE} SET walked, the reset a {@code VFIO_DEVICE_RESET} caused, the v1 state a
 * {@code device_state} write set) follows it. So {@code seq} strictly increases, {@code ts_ns} never
 * decreases (the kernel acts no earlier than the call was made), and reading in {@code seq} order
 * gives cause before effect: the call, then its effects, then the next call, the way a replayer
 * re-drives it. State rows made inside a call carry the caller's pid, tid and thread, and the
 * call's {@code seq} as {@code args.syscall_seq}.
 *
 * <p>Since a syscall's row needs its return value, it is written at exit; the events that happen
 * between entry and exit are held until then (a handful: the simulated stack runs one call at a
 * time, and a call causes at most a few state changes). Nothing else is kept per event: one entry per
 * syscall in flight, keyed by host and thread and removed at exit, the region tables of the devices,
 * and a reused bitmap buffer. Memory stays bounded however long the run.
 *
 * <h2>Columns by kind</h2>
 * <ul>
 *   <li>{@code syscall} (actor {@code vmm}): host, pid, tid, thread, op, cmd, fd, fd_kind, object,
 *       device, ret, errno, errno_num, the decoded arguments (see {@code IoctlCodecs}) and
 *       {@code args} = {@code {"in":{...},"out":{...}}} by C member name;</li>
 *   <li>{@code state} (actor {@code kernel}, op {@code DEVICE_STATE}): device, from_state, to_state
 *       (v2 state names, v1 {@code device_state} bits), state_raw (the new state's raw value), and
 *       {@code args} {@code cause} ({@code arc}, {@code reset}, {@code error}, {@code write}),
 *       {@code protocol}, raw {@code from}/{@code to};</li>
 *   <li>{@code write} (actor {@code guest_cpu} / {@code device_dma}, op {@code CPU_WRITE} /
 *       {@code DMA_WRITE}): length (bytes), count (runs in the batch), device (DMA), {@code args}
 *       {@code dropped} (DMA bytes the IOMMU faulted); the pages as dirty runs;</li>
 *   <li>{@code migration} (actor {@code migration}): op {@code SETUP}, {@code ITERATION},
 *       {@code SWITCHOVER}, {@code COMPLETED}, {@code FAILED}, {@code CANCELLED} with the step's
 *       numbers in {@code args}.</li>
 * </ul>
 *
 * <p>Not thread-safe, like the simulated stack it watches. Never closes or flushes the sink.
 */
public final class SimRecorder implements SimObserver {
    private record ThreadKey(String host, int tid) {
    }

    /** A syscall between entry and exit, and the events that happened meanwhile. */
    private static final class InFlight {
        final TracedCall call;
        final CallArgs args;
        final List<Object> inside = new ArrayList<>(2);

        InFlight(TracedCall call, CallArgs args) {
            this.call = call;
            this.args = args;
        }
    }

    private final SyscallDecoder decoder = new SyscallDecoder();
    private final EventRows rows;
    private final MigrationRows migrationRows;
    private final Map<ThreadKey, InFlight> inFlight = new LinkedHashMap<>();

    /** A recorder appending to {@code sink}. */
    public SimRecorder(TraceSink sink) {
        Objects.requireNonNull(sink, "sink");
        this.rows = new EventRows(sink);
        this.migrationRows = new MigrationRows(sink);
    }

    @Override
    public void syscallEnter(SyscallEvent call) {
        TracedCall traced = TracedCall.of(call);
        CallArgs args = decoder.enter(traced, TracedMemory.of(call.memory()));
        inFlight.put(new ThreadKey(call.host(), call.tid()), new InFlight(traced, args));
    }

    @Override
    public void syscallExit(SyscallEvent call, long ret) {
        InFlight f = inFlight.remove(new ThreadKey(call.host(), call.tid()));
        if (f == null) {
            throw new IllegalStateException("exit of a syscall whose entry this recorder did not see: " + call.sys()
                    + " on " + call.host() + " tid " + call.tid());
        }
        TracedMemory mem = TracedMemory.of(call.memory());
        decoder.exit(f.call, mem, ret, f.args);
        long seq = rows.syscall(f.call, mem, ret, f.args);
        for (Object e : f.inside) {
            write(e, f.call, seq);
        }
    }

    @Override
    public void deviceState(DeviceStateEvent event) {
        hold(event.host(), event);
    }

    @Override
    public void memoryWrite(MemoryWriteEvent event) {
        hold(event.host(), event);
    }

    @Override
    public void migration(MigrationEvent event) {
        hold(event.host(), event);
    }

    /** Writes {@code event} now, or after the row of the call in flight on its host. */
    private void hold(String host, Object event) {
        InFlight within = null;
        for (InFlight f : inFlight.values()) {
            if (f.call.host().equals(host)) {
                within = f;
            }
        }
        if (within != null) {
            within.inside.add(event);
        } else {
            write(event, null, -1);
        }
    }

    private void write(Object event, TracedCall within, long syscallSeq) {
        if (event instanceof DeviceStateEvent s) {
            rows.state(s, within, syscallSeq);
        } else if (event instanceof MemoryWriteEvent w) {
            rows.write(w);
        } else {
            migrationRows.write((MigrationEvent) event);
        }
    }
}
