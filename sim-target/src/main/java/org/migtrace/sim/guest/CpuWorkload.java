package org.migtrace.sim.guest;

import org.migtrace.sim.scenario.WorkloadSpec;

/** The vCPUs writing guest RAM by a pattern at a rate; pages are RAM-block pages. */
public final class CpuWorkload implements Workload {
    /** The random stream every CPU workload draws from. */
    public static final String STREAM = "cpu";

    private final GuestCpus cpus;
    private final RateSchedule schedule;
    private final PagePattern pattern;
    private final RunBatch batch;
    private long written;

    /** A CPU workload over all of {@code cpus}' guest RAM, seeded from scenario seed {@code seed}. */
    public CpuWorkload(GuestCpus cpus, WorkloadSpec spec, long seed) {
        if (spec.range() != null) {
            throw new IllegalArgumentException("a CPU workload covers all guest RAM; it has no range");
        }
        this.cpus = cpus;
        this.schedule = new RateSchedule(spec.rate(), spec.burst());
        this.pattern = PagePattern.of(spec, cpus.memory().ramPages(), Seeds.random(seed, STREAM));
        this.batch = new RunBatch(cpus::write);
    }

    @Override
    public String name() {
        return STREAM;
    }

    /** The page pattern (for inspection). */
    public PagePattern pattern() {
        return pattern;
    }

    @Override
    public long advance(long fromNs, long toNs) {
        long count = schedule.pagesIn(fromNs, toNs);
        pattern.generate(count, batch);
        batch.flush();
        written += count;
        return count;
    }

    @Override
    public long pagesWritten() {
        return written;
    }
}
