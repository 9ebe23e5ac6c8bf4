package org.migtrace.sim.guest;

import java.util.SplittableRandom;

/** Every page of the range equally likely. */
public final class UniformPattern extends SampledPattern {
    private final SplittableRandom rng;

    public UniformPattern(long pages, SplittableRandom rng) {
        super(pages);
        this.rng = rng;
    }

    @Override
    public long nextPage() {
        return rng.nextLong(pages());
    }
}
