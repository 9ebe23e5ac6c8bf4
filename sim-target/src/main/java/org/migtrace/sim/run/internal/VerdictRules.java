package org.migtrace.sim.run.internal;

import java.util.List;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.run.Units;
import org.migtrace.sim.run.Verdict;
import org.migtrace.sim.run.Verdict.Reason;

/**
 * Works out why a migration ended as it did, from the run's rows. For a migration that was cancelled
 * at the step limit the reasons are tried in this order, the first that holds wins:
 * <ol>
 *   <li>no dirty tracking: every sync reported every RAM page dirty;</li>
 *   <li>dirty rate: over the last {@value #WINDOW} iterations the link was busy (at least
 *       {@value #BUSY_PERCENT}% of bandwidth × time) and the pages found newly dirty amount to at least
 *       {@value #RATE_SHARE_PERCENT}% of the RAM it carried: the guest and its devices dirty memory as
 *       fast as the migration sends it;</li>
 *   <li>stop-copy size: the devices' stop-copy state at the last sync alone exceeds
 *       bandwidth × downtime limit, so no amount of RAM progress can pass the test;</li>
 *   <li>not shrinking: pending at the last sync is no smaller than {@value #WINDOW} syncs before;</li>
 *   <li>otherwise, the step limit came while pending was still shrinking.</li>
 * </ol>
 * Each names what would have made the test pass at the smallest pending seen: the bandwidth (with
 * this downtime limit) or the downtime limit (at this bandwidth).
 */
final class VerdictRules {
    /** How many of the last iterations the rate and trend rules look at. */
    static final int WINDOW = 3;
    /** Dirtying at or above this share of what was sent counts as "the dirty rate matches the bandwidth". */
    static final int RATE_SHARE_PERCENT = 95;
    /** The link counts as busy when it carried at least this share of bandwidth × time. */
    static final int BUSY_PERCENT = 90;
    private static final long NS_PER_S = 1_000_000_000L;

    private final List<IterationStats> rows;
    private final long ramPages;
    private final long bandwidth;
    private final long downtimeLimitNs;
    private final long stopCopyBytes;

    /**
     * @param rows           every row, setup first
     * @param stopCopyBytes  the devices' stop-copy sizes at the last exact query, summed
     */
    VerdictRules(List<IterationStats> rows, long ramPages, long bandwidth, long downtimeLimitNs, long stopCopyBytes) {
        this.rows = rows.stream().filter(r -> r.iteration() > 0).toList();
        this.ramPages = ramPages;
        this.bandwidth = bandwidth;
        this.downtimeLimitNs = downtimeLimitNs;
        this.stopCopyBytes = stopCopyBytes;
    }

    Verdict verdict(Outcome o) {
        switch (o.kind()) {
            case COMPLETED:
                IterationStats last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
                String how = last == null ? "at setup" : "at iteration " + o.iteration() + ": pending "
                        + Units.bytes(last.pendingBytes()) + " within the threshold " + Units.bytes(last.thresholdBytes());
                String over = o.downtimeNs() > downtimeLimitNs ? ", over the limit: the switchover test counts "
                        + "neither the final sync nor state a device does not report" : "";
                return new Verdict(true, o.iteration(), Reason.CONVERGED, "converged " + how + "; downtime "
                        + Units.millis(o.downtimeNs()) + " (limit " + Units.millis(downtimeLimitNs) + over + ")",
                        o.downtimeNs(), 0, 0, "", "", "");
            case FAILED:
                Failure f = o.failure();
                return new Verdict(false, o.iteration(), Reason.DEVICE_ERROR, f.message(), 0, 0, 0, f.device(), f.op(),
                        f.errno());
            case BLOCKED:
                Failure b = o.failure();
                return new Verdict(false, 0, Reason.BLOCKED, "migration blocked: " + o.message(), 0, 0, 0,
                        b == null ? "" : b.device(), b == null ? "" : b.op(), b == null ? "" : b.errno());
            default:
                return notConverged(o.iteration());
        }
    }

    private Verdict notConverged(int iteration) {
        long minPending = Long.MAX_VALUE;
        for (IterationStats r : rows) {
            minPending = Math.min(minPending, r.pendingBytes());
        }
        if (rows.isEmpty()) {
            minPending = 0;
        }
        long neededBandwidth = downtimeLimitNs == 0 ? Long.MAX_VALUE
                : (long) Math.ceil((double) minPending * NS_PER_S / downtimeLimitNs);
        long neededDowntime = (long) Math.ceil((double) minPending * NS_PER_S / bandwidth);
        Reason reason;
        String why;
        if (allPagesEverySync()) {
            reason = Reason.NO_DIRTY_TRACKING;
            why = "every sync reported all " + ramPages + " RAM pages dirty: nothing tracks the devices' DMA";
        } else if (dirtyRateMatchesBandwidth()) {
            reason = Reason.DIRTY_RATE;
            why = dirtyRateText();
        } else if ((double) stopCopyBytes * NS_PER_S > (double) bandwidth * downtimeLimitNs) {
            reason = Reason.STOP_COPY_SIZE;
            why = "the devices' stop-copy state (" + Units.bytes(stopCopyBytes) + ") exceeds bandwidth x downtime limit ("
                    + Units.bytes((long) ((double) bandwidth * downtimeLimitNs / NS_PER_S)) + ")";
        } else if (notShrinking()) {
            reason = Reason.NOT_SHRINKING;
            IterationStats a = rows.get(rows.size() - 1 - WINDOW);
            IterationStats b = rows.get(rows.size() - 1);
            why = "pending did not shrink over the last " + WINDOW + " iterations (" + Units.bytes(a.pendingBytes())
                    + " at iteration " + a.iteration() + ", " + Units.bytes(b.pendingBytes()) + " at " + b.iteration() + ")";
        } else {
            reason = Reason.STEP_LIMIT;
            why = "pending was still shrinking when the step limit of " + iteration + " iterations was reached";
        }
        String fix = "; at the smallest pending seen (" + Units.bytes(minPending) + ") it would switch over with "
                + Units.rate(neededBandwidth) + " or a downtime limit of " + Units.millis(neededDowntime);
        return new Verdict(false, iteration, reason, "did not converge: " + why + fix, 0, neededBandwidth,
                neededDowntime, "", "", "");
    }

    private boolean allPagesEverySync() {
        if (rows.isEmpty()) {
            return false;
        }
        for (IterationStats r : rows) {
            if (r.dirtyPagesDevice() < ramPages) {
                return false;
            }
        }
        return true;
    }

    /** Sums over the last {@value #WINDOW} iterations. */
    private record Window(long cpuBytes, long deviceBytes, long dirtyBytes, long ramSent, long sent, long ns) {
    }

    private Window window() {
        long cpu = 0;
        long dev = 0;
        long dirty = 0;
        long ramSent = 0;
        long sent = 0;
        long ns = 0;
        for (IterationStats r : rows.subList(Math.max(0, rows.size() - WINDOW), rows.size())) {
            cpu += r.dirtyPagesCpu() << GuestMemory.PAGE_SHIFT;
            dev += r.dirtyPagesDevice() << GuestMemory.PAGE_SHIFT;
            dirty += r.newDirtyPages() << GuestMemory.PAGE_SHIFT;
            ramSent += r.bytesSent() - r.deviceBytesSent();
            sent += r.bytesSent();
            ns += r.durationNs();
        }
        return new Window(cpu, dev, dirty, ramSent, sent, ns);
    }

    private boolean dirtyRateMatchesBandwidth() {
        Window w = window();
        boolean busy = (double) w.sent() * NS_PER_S * 100 >= (double) bandwidth * w.ns() * BUSY_PERCENT;
        return busy && w.dirtyBytes() > 0 && (double) w.dirtyBytes() * 100 >= (double) w.ramSent() * RATE_SHARE_PERCENT;
    }

    private String dirtyRateText() {
        Window w = window();
        return "memory is dirtied at " + Units.rate(perSecond(w.dirtyBytes(), w.ns())) + " (CPU "
                + Units.rate(perSecond(w.cpuBytes(), w.ns())) + ", device " + Units.rate(perSecond(w.deviceBytes(), w.ns()))
                + " reported), as fast as the " + Units.rate(bandwidth) + " link sends it";
    }

    private static long perSecond(long bytes, long ns) {
        return ns == 0 ? 0 : (long) ((double) bytes * NS_PER_S / ns);
    }

    private boolean notShrinking() {
        if (rows.size() <= WINDOW) {
            return false;
        }
        return rows.get(rows.size() - 1).pendingBytes() >= rows.get(rows.size() - 1 - WINDOW).pendingBytes();
    }
}
