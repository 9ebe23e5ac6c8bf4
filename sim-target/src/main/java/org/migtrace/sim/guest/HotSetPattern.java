package org.migtrace.sim.guest;

import java.util.SplittableRandom;

/**
 * A hot set: {@code fraction} of the range, contiguous, starting {@code offset} of the way in,
 * written uniformly; nothing outside it is written.
 */
public final class HotSetPattern extends SampledPattern {
    private final SplittableRandom rng;
    private final long first;
    private final long size;

    public HotSetPattern(long pages, double fraction, double offset, SplittableRandom rng) {
        super(pages);
        if (!(fraction > 0 && fraction <= 1) || !(offset >= 0 && offset <= 1)) {
            throw new IllegalArgumentException("hot set fraction " + fraction + " at offset " + offset);
        }
        this.rng = rng;
        this.size = Math.max(1, Math.min(pages, (long) Math.floor(fraction * pages)));
        this.first = Math.min((long) Math.floor(offset * pages), pages - size);
    }

    /** The first page of the hot set. */
    public long hotFirst() {
        return first;
    }

    /** The hot set's size in pages. */
    public long hotPages() {
        return size;
    }

    @Override
    public long nextPage() {
        return first + rng.nextLong(size);
    }
}
