package org.migtrace.sim.guest;

import org.migtrace.sim.scenario.WorkloadSpec;

/** The vCPUs writing guest RAM by a pattern at a rate; pages are RAM-block pages. */
public final class CpuWorkload extends ScheduledWorkload {
    /** The random stream every CPU workload draws from. */
    public static final String STREAM = "cpu";

    private final GuestCpus cpus;

    /** A CPU workload over all of {@code cpus}' guest RAM, seeded from scenario seed {@code seed}. */
    public CpuWorkload(GuestCpus cpus, WorkloadSpec spec, long seed) {
        super(checkNoRange(spec), cpus.memory().ramPages(), Seeds.random(seed, STREAM));
        this.cpus = cpus;
    }

    @Override
    public String name() {
        return STREAM;
    }

    @Override
    void emit(long[] firstPages, long[] pageCounts, int n) {
        cpus.write(firstPages, pageCounts, n);
    }

    private static WorkloadSpec checkNoRange(WorkloadSpec spec) {
        if (spec.range() != null) {
            throw new IllegalArgumentException("a CPU workload covers all guest RAM; it has no range");
        }
        return spec;
    }
}
