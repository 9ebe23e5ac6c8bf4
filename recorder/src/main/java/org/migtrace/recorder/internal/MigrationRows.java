package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.ACTOR;
import static org.migtrace.trace.EventColumn.ARGS;
import static org.migtrace.trace.EventColumn.DEVICE;
import static org.migtrace.trace.EventColumn.HOST;
import static org.migtrace.trace.EventColumn.KIND;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.TS_NS;

import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.TraceSink;

/**
 * Writes the migration driver's steps: one {@code migration} row per {@link MigrationEvent} (op
 * {@code SETUP}, {@code ITERATION}, {@code SWITCHOVER}, {@code COMPLETED}, {@code FAILED},
 * {@code CANCELLED}; the event's numbers in {@code args} by snake_case name), and for each
 * {@code ITERATION} the iterations row whose {@code seq} is that row's.
 */
public final class MigrationRows {
    private final TraceSink sink;

    public MigrationRows(TraceSink sink) {
        this.sink = sink;
    }

    /** The row (and iterations row) of {@code e}; returns the event row's {@code seq}. */
    public long write(MigrationEvent e) {
        Map<String, Object> args = new LinkedHashMap<>();
        String op = describe(e, args);
        String device = e instanceof MigrationEvent.Failed f && !f.device().isEmpty() ? f.device() : null;
        EventRow r = sink.event();
        r.set(TS_NS, e.tsNs()).set(HOST, e.host()).set(ACTOR, "migration").set(KIND, "migration").set(OP, op)
                .set(DEVICE, device).set(ARGS, Json.write(args));
        long seq = r.commit();
        if (e instanceof MigrationEvent.Iteration i) {
            sink.iteration(row(seq, i));
        }
        return seq;
    }

    /** The op of {@code e}; its numbers go into {@code args}. */
    private static String describe(MigrationEvent e, Map<String, Object> args) {
        if (e instanceof MigrationEvent.Setup s) {
            args.put("scenario", s.scenario());
            args.put("seed", s.seed());
            args.put("ram_bytes", s.ramBytes());
            args.put("tracking", s.tracking());
            args.put("devices", s.devices());
            return "SETUP";
        }
        if (e instanceof MigrationEvent.Iteration i) {
            args.put("iteration", (long) i.stats().iteration());
            args.put("decision", i.stats().decision().label());
            args.put("pending_bytes", i.stats().pendingBytes());
            args.put("threshold_bytes", i.stats().thresholdBytes());
            return "ITERATION";
        }
        if (e instanceof MigrationEvent.Switchover s) {
            args.put("iteration", (long) s.iteration());
            args.put("pending_bytes", s.pendingBytes());
            args.put("threshold_bytes", s.thresholdBytes());
            args.put("inclusive", s.inclusive());
            return "SWITCHOVER";
        }
        return end(e, args);
    }

    /** The ops of the outcomes: COMPLETED, FAILED, CANCELLED. */
    private static String end(MigrationEvent e, Map<String, Object> args) {
        if (e instanceof MigrationEvent.Completed c) {
            args.put("iterations", (long) c.iterations());
            args.put("downtime_ns", c.downtimeNs());
            args.put("total_bytes", c.totalBytes());
            args.put("lost_pages", c.lostPages());
            return "COMPLETED";
        }
        if (e instanceof MigrationEvent.Failed f) {
            args.put("device", f.device());
            args.put("op", f.op());
            args.put("errno", f.errno());
            args.put("message", f.message());
            return "FAILED";
        }
        MigrationEvent.Cancelled c = (MigrationEvent.Cancelled) e;
        args.put("iterations", (long) c.iterations());
        args.put("reason", c.reason());
        return "CANCELLED";
    }

    private static IterationRow row(long seq, MigrationEvent.Iteration e) {
        IterationStats s = e.stats();
        return new IterationRow(seq, e.tsNs(), e.host(), s.iteration(), s.timeNs(), s.durationNs(), s.dirtyPagesCpu(),
                s.dirtyPagesDevice(), s.newDirtyPages(), s.bytesSent(), s.deviceBytesSent(), s.bandwidth(),
                s.pendingBytes(), s.devicePendingBytes(), s.thresholdBytes(), s.decision().label());
    }
}
