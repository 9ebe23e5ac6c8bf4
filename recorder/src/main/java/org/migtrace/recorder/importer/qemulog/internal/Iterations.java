package org.migtrace.recorder.importer.qemulog.internal;

import static org.migtrace.trace.EventColumn.ACTOR;
import static org.migtrace.trace.EventColumn.ARGS;
import static org.migtrace.trace.EventColumn.HOST;
import static org.migtrace.trace.EventColumn.KIND;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.TS_NS;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.recorder.internal.Json;
import org.migtrace.trace.Actor;
import org.migtrace.trace.Decision;
import org.migtrace.trace.EventKind;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.MigrationOp;
import org.migtrace.trace.TraceSink;

/**
 * The migration driver's steps as far as a log shows them: {@code migration} events ({@code SETUP},
 * {@code ITERATION}, {@code SWITCHOVER}, {@code COMPLETED}, {@code FAILED}, {@code CANCELLED}) and
 * one iterations row per dirty-bitmap sync that QEMU's switchover test looked at.
 *
 * <p>QEMU's migration thread ({@code migration/migration.c: migration_iteration_run}) traces
 * {@code migrate_pending_estimate} every turn; when the estimate is under the threshold it runs the
 * exact query, whose RAM part syncs the dirty bitmap ({@code migration/ram.c: migration_bitmap_sync},
 * traced {@code migration_bitmap_sync_start}/{@code _end}, with the VFIO dirty reports in between),
 * whose VFIO part traces {@code vfio_state_pending_exact} per device, and traces
 * {@code migrate_pending_exact}; then {@code migration_thread_low_pending} when it switches over.
 * So an iteration is: the first sync of a migration (setup; its pending is the first estimate), and
 * each sync followed by {@code migrate_pending_exact} before the next sync. Its decision is known at
 * the next line that shows it: {@code migration_thread_low_pending} (switchover), a later step of the
 * loop (iterate), {@code migrate_set_state} to {@code cancelling}/{@code cancelled} (cancel). The
 * ITERATION event is written there, so that its row follows it; the iterations row's {@code ts_ns} is
 * the sync's. Syncs that are no iteration (the final one during downtime, the 5-second throttle
 * sync) fold their counts into the next iteration.
 *
 * <p>The numbers: {@code new_dirty_pages} from {@code migration_bitmap_sync_end}'s counter
 * ({@link DirtyPeriod}); {@code dirty_pages_device} the sum of the VFIO dirty-bitmap queries'
 * {@code dirty_pages}; {@code dirty_pages_cpu} the rest ({@code new - device}, at least 0, as QEMU
 * counts each new page once whoever dirtied it); {@code bytes_sent} the {@code migrate_transferred}
 * windows since the previous iteration; {@code device_bytes_sent} the {@code vfio_save_block} sizes;
 * {@code bandwidth} and {@code threshold_bytes} the last window's (bytes/ms times 1000, and
 * {@code max_size}); {@code pending_bytes} the exact pending; {@code device_pending_bytes} the sum of
 * each device's stop-copy, precopy initial and dirty sizes in its exact pending event of that turn.
 */
final class Iterations {

    /** An iteration waiting for its pending size and decision. */
    private static final class Open {
        final int iteration;
        final long syncTs;
        final boolean setup;
        final long[] counts;
        Long pending;
        long devicePending;

        Open(int iteration, long syncTs, boolean setup, long[] counts) {
            this.iteration = iteration;
            this.syncTs = syncTs;
            this.setup = setup;
            this.counts = counts;
        }
    }

    /** Indices of the per-iteration counts. */
    private static final int SENT = 0;
    private static final int DEVICE_SENT = 1;
    private static final int DEVICE_PAGES = 2;
    private static final int NEW_PAGES = 3;

    private final TraceSink sink;
    private final String host;

    private long[] counts = new long[4];
    private final Map<String, Long> turnDevicePending = new TreeMap<>();
    private Open open;
    private Long startTs;
    private int syncs;
    private boolean inSync;
    private DirtyPeriod period = new DirtyPeriod();
    private Long lastIterationTs;
    private long bandwidth;
    private long threshold;
    private long rows;
    private long events;
    private long totalSyncs;

    Iterations(TraceSink sink, String host) {
        this.sink = sink;
        this.host = host;
    }

    /** Iterations rows written. */
    long rows() {
        return rows;
    }

    /** Migration events written. */
    long events() {
        return events;
    }

    /** Dirty-bitmap syncs seen. */
    long syncs() {
        return totalSyncs;
    }

    /** What {@code e} ends, before its own row is written. */
    void before(ParsedEvent e, long ts) {
        switch (e.name()) {
            case "migrate_set_state" -> {
                String state = e.text("new_state");
                if ("setup".equals(state)) {
                    closeOpen(ts, null);
                    newMigration(ts);
                } else if ("cancelling".equals(state) || "cancelled".equals(state)) {
                    closeOpen(ts, Decision.CANCEL);
                } else if ("failed".equals(state) || "completed".equals(state)) {
                    closeOpen(ts, null);
                }
            }
            case "migration_bitmap_sync_start" -> closeOpen(ts, null);
            case "migration_bitmap_sync_end" -> {
                if (!inSync) {
                    closeOpen(ts, null);
                }
            }
            case "migrate_pending_estimate" -> {
                if (open != null && !(open.setup && open.pending == null)) {
                    closeOpen(ts, null);
                }
                turnDevicePending.clear();
            }
            case "migrate_pending_exact" -> {
                if (open != null && open.pending != null) {
                    closeOpen(ts, null);
                }
            }
            case "migrate_transferred", "savevm_state_iterate", "vfio_save_iterate", "vfio_save_iterate_start",
                    "vfio_save_block" -> closeOpen(ts, null);
            default -> {
            }
        }
    }

    /** What {@code e} tells, after its own row is written; {@code stamped} when its time is the log's. */
    void after(ParsedEvent e, long ts, boolean stamped) {
        switch (e.name()) {
            case "migrate_set_state" -> state(e.text("new_state"), ts);
            case "migration_bitmap_sync_start" -> {
                inSync = true;
                period.syncStart(ts, stamped);
            }
            case "migration_bitmap_sync_end" -> syncEnd(e.bitsOrZero("dirty_pages"), ts, stamped);
            case "migrate_pending_estimate" -> {
                if (open != null && open.setup && open.pending == null) {
                    open.pending = e.bitsOrZero("size");
                    close(ts, Decision.SETUP);
                }
            }
            case "migrate_pending_exact" -> {
                if (open != null && open.pending == null) {
                    open.pending = e.bitsOrZero("size");
                    open.devicePending = turnDevicePending.values().stream().mapToLong(Long::longValue).sum();
                }
            }
            case "migration_thread_low_pending" -> switchover(e.bitsOrZero("pending"), ts);
            case "migrate_transferred" -> {
                counts[SENT] += e.bitsOrZero("transferred");
                bandwidth = e.bitsOrZero("bandwidth");
                threshold = Math.max(0, e.bitsOrZero("size"));
            }
            case "vfio_save_block" -> counts[DEVICE_SENT] += Math.max(0, e.bitsOrZero("data_size"));
            case "vfio_get_dirty_bitmap", "vfio_container_query_dirty_bitmap" ->
                    counts[DEVICE_PAGES] += e.bitsOrZero("dirty_pages");
            case "vfio_state_pending_exact", "vfio_save_pending" -> devicePending(e);
            case "vfio_state_pending" -> {
                if (e.bitsOrZero("exact") != 0) {
                    devicePending(e);
                }
            }
            default -> {
            }
        }
    }

    /** The end of the log: an iteration still waiting is written with what is known. */
    void end(long ts) {
        closeOpen(ts, null);
    }

    private void newMigration(long ts) {
        startTs = ts;
        syncs = 0;
        inSync = false;
        period = new DirtyPeriod();
        lastIterationTs = null;
        counts = new long[4];
        turnDevicePending.clear();
        bandwidth = 0;
        threshold = 0;
    }

    private void state(String state, long ts) {
        MigrationOp op = switch (state == null ? "" : state) {
            case "setup" -> MigrationOp.SETUP;
            case "completed" -> MigrationOp.COMPLETED;
            case "failed" -> MigrationOp.FAILED;
            case "cancelled" -> MigrationOp.CANCELLED;
            default -> null;
        };
        if (op == null) {
            return;
        }
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("state", state);
        if (op != MigrationOp.SETUP) {
            args.put("syncs", (long) syncs);
        }
        migrationEvent(ts, op, args);
    }

    private void syncEnd(long counter, long ts, boolean stamped) {
        inSync = false;
        counts[NEW_PAGES] += period.syncEnd(counter, ts, stamped);
        syncs++;
        totalSyncs++;
        if (startTs == null) {
            startTs = ts;
        }
        open = new Open(syncs - 1, ts, syncs == 1, counts);
        counts = new long[4];
    }

    private void devicePending(ParsedEvent e) {
        String device = TracepointColumns.device(e);
        long share = e.bitsOrZero("stopcopy_size") + e.bitsOrZero("precopy_init_size")
                + e.bitsOrZero("precopy_dirty_size");
        turnDevicePending.put(device == null ? "" : device, share);
    }

    private void switchover(long pending, long ts) {
        int iteration = syncs - 1;
        if (open != null && open.pending != null) {
            iteration = open.iteration;
            close(ts, Decision.SWITCHOVER);
        }
        Map<String, Object> args = new LinkedHashMap<>();
        if (iteration >= 0) {
            args.put("iteration", (long) iteration);
        }
        args.put("pending_bytes", pending);
        args.put("threshold_bytes", threshold);
        migrationEvent(ts, MigrationOp.SWITCHOVER, args);
    }

    /**
     * Ends the waiting iteration: written with {@code decision} (null: setup for the first sync,
     * iterate otherwise) when it is one, folded into the next when its sync was not one.
     */
    private void closeOpen(long ts, Decision decision) {
        if (open == null) {
            return;
        }
        if (!open.setup && open.pending == null) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += open.counts[i];
            }
            open = null;
            return;
        }
        close(ts, decision != null ? decision : open.setup ? Decision.SETUP : Decision.ITERATE);
    }

    private void close(long ts, Decision decision) {
        Open o = open;
        open = null;
        long pending = o.pending == null ? 0 : o.pending;
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("iteration", (long) o.iteration);
        args.put("decision", decision.label());
        args.put("pending_bytes", pending);
        args.put("threshold_bytes", threshold);
        long seq = migrationEvent(ts, MigrationOp.ITERATION, args);
        long start = startTs == null ? o.syncTs : startTs;
        long previous = lastIterationTs == null ? start : lastIterationTs;
        long[] c = o.counts;
        sink.iteration(new IterationRow(seq, o.syncTs, host, o.iteration, Math.max(0, o.syncTs - start),
                Math.max(0, o.syncTs - previous), Math.max(0, c[NEW_PAGES] - c[DEVICE_PAGES]), c[DEVICE_PAGES],
                c[NEW_PAGES], c[SENT], c[DEVICE_SENT], bandwidth * 1000, pending, o.devicePending, threshold,
                decision.label()));
        lastIterationTs = o.syncTs;
        rows++;
    }

    private long migrationEvent(long ts, MigrationOp op, Map<String, Object> args) {
        EventRow r = sink.event();
        r.set(TS_NS, ts).set(HOST, host).set(ACTOR, Actor.MIGRATION.label()).set(KIND, EventKind.MIGRATION.label())
                .set(OP, op.name()).set(ARGS, args.isEmpty() ? null : Json.write(args));
        events++;
        return r.commit();
    }
}
