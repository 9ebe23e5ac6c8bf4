package org.migtrace.sim.guest;

import java.util.SplittableRandom;
import org.migtrace.sim.scenario.WorkloadSpec;

/**
 * Which pages of a range a workload writes, one write after another. Deterministic given the
 * generator's state. Work is proportional to the pages written, never to the range's size.
 */
public interface PagePattern {
    /** Number of pages in the range. */
    long pages();

    /**
     * Writes {@code count} pages and hands them to {@code sink} as runs ({@code [first, first + n)},
     * relative to the range). Random patterns sort and coalesce each batch of draws, so a page drawn
     * twice in one batch is one write and adjacent pages form one run.
     */
    void generate(long count, RunSink sink);

    /** The pattern {@code spec} describes over {@code pages} pages, drawing from {@code rng}. */
    static PagePattern of(WorkloadSpec spec, long pages, SplittableRandom rng) {
        switch (spec.pattern()) {
            case UNIFORM:
                return new UniformPattern(pages, rng);
            case HOT_SET:
                return new HotSetPattern(pages, spec.fraction(), spec.offset(), rng);
            case ZIPF:
                return new ZipfPattern(pages, spec.s(), rng);
            case SWEEP:
                return new SweepPattern(pages);
            default:
                throw new IllegalArgumentException("pattern " + spec.pattern());
        }
    }
}
