package org.migtrace.sim.guest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.migtrace.sim.scenario.BurstSpec;
import org.migtrace.sim.scenario.PageRate;

/**
 * How many pages a workload writes by a given virtual time: {@code floor} of the rate integrated
 * from time zero, computed exactly (decimal arithmetic, no floating point). A window
 * {@code [from, to)} writes {@code pagesUntil(to) - pagesUntil(from)}, so the fractions carry over
 * from window to window exactly and the total never depends on how time was cut into windows.
 *
 * <p>With bursts, time is cut into periods of {@code on + off} from zero; the rate is multiplied by
 * {@code multiplier} during the first {@code on} of each period and by {@code offMultiplier} after.
 */
public final class RateSchedule {
    private static final BigDecimal NS_PER_S = BigDecimal.valueOf(1_000_000_000L);

    private final BigDecimal pagesPerSecond;
    private final BurstSpec burst;
    private final BigDecimal periodWeight; // ns × multiplier over one whole period
    private long cachedT = 0;
    private long cachedPages = 0;

    public RateSchedule(PageRate rate, BurstSpec burst) {
        this.pagesPerSecond = rate.pagesPerSecond();
        this.burst = burst;
        this.periodWeight = burst == null ? null
                : BigDecimal.valueOf(burst.on().toNanos()).multiply(burst.multiplier())
                        .add(BigDecimal.valueOf(burst.off().toNanos()).multiply(burst.offMultiplier()));
    }

    /** Pages written in {@code [0, tNs)}. */
    public long pagesUntil(long tNs) {
        if (tNs < 0) {
            throw new IllegalArgumentException("negative time " + tNs);
        }
        if (tNs == cachedT) {
            return cachedPages;
        }
        long pages = pagesPerSecond.multiply(weightedNs(tNs)).divide(NS_PER_S, 0, RoundingMode.FLOOR)
                .longValueExact();
        cachedT = tNs;
        cachedPages = pages;
        return pages;
    }

    /** Pages written in {@code [fromNs, toNs)}. */
    public long pagesIn(long fromNs, long toNs) {
        if (toNs < fromNs) {
            throw new IllegalArgumentException("window [" + fromNs + ", " + toNs + ") runs backwards");
        }
        long before = pagesUntil(fromNs);
        return pagesUntil(toNs) - before;
    }

    /** The integral of the rate multiplier over {@code [0, t)}, in ns. */
    private BigDecimal weightedNs(long t) {
        if (burst == null) {
            return BigDecimal.valueOf(t);
        }
        long period = burst.periodNs();
        long on = burst.on().toNanos();
        long rem = t % period;
        BigDecimal w = periodWeight.multiply(BigDecimal.valueOf(t / period));
        w = w.add(BigDecimal.valueOf(Math.min(rem, on)).multiply(burst.multiplier()));
        return w.add(BigDecimal.valueOf(Math.max(0, rem - on)).multiply(burst.offMultiplier()));
    }
}
