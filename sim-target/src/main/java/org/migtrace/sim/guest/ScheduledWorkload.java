package org.migtrace.sim.guest;

import java.util.SplittableRandom;
import org.migtrace.sim.scenario.WorkloadSpec;

/**
 * What every workload does per window: take the page count the rate gives for it, draw that many
 * pages from the pattern, coalesce them into runs and hand the runs to {@link #emit} in bounded
 * batches. Subclasses say where the writes go.
 */
abstract class ScheduledWorkload implements Workload {
    private final RateSchedule schedule;
    private final PagePattern pattern;
    private final RunBatch batch;
    private long written;

    ScheduledWorkload(WorkloadSpec spec, long pages, SplittableRandom rng) {
        this.schedule = new RateSchedule(spec.rate(), spec.burst());
        this.pattern = PagePattern.of(spec, pages, rng);
        this.batch = new RunBatch(this::emit);
    }

    /** Writes one batch of page runs ({@code firstPages[i], pageCounts[i]} for {@code i < n}). */
    abstract void emit(long[] firstPages, long[] pageCounts, int n);

    /** The page pattern (for inspection). */
    public PagePattern pattern() {
        return pattern;
    }

    @Override
    public final long advance(long fromNs, long toNs) {
        long count = schedule.pagesIn(fromNs, toNs);
        pattern.generate(count, batch);
        batch.flush();
        written += count;
        return count;
    }

    @Override
    public final long pagesWritten() {
        return written;
    }
}
