package org.migtrace.sim.guest;

import java.util.SplittableRandom;

/**
 * Zipf over pages: rank {@code k} is written with probability proportional to {@code k^-s}. Ranks
 * are spread over the range by a seeded permutation (an odd-multiplier affine map modulo the next
 * power of two, cycle-walked into the range), so the hottest pages are scattered as a real
 * working set is, rather than packed at the start.
 */
public final class ZipfPattern extends SampledPattern {
    private final SplittableRandom rng;
    private final ZipfSampler sampler;
    private final long mask;
    private final long mul;
    private final long add;

    public ZipfPattern(long pages, double s, SplittableRandom rng) {
        super(pages);
        this.rng = rng;
        this.sampler = new ZipfSampler(pages, s);
        long pow2 = Long.highestOneBit(pages) == pages ? pages : Long.highestOneBit(pages) << 1;
        this.mask = pow2 - 1;
        this.mul = rng.nextLong() | 1; // odd: a bijection modulo any power of two
        this.add = rng.nextLong();
    }

    /** The page that rank {@code k} (1-based) lands on. */
    public long pageOfRank(long k) {
        long x = k - 1;
        do {
            x = (x * mul + add) & mask;
        } while (x >= pages());
        return x;
    }

    @Override
    public long nextPage() {
        return pageOfRank(sampler.sample(rng));
    }
}
