package org.migtrace.sim.guest;

import java.util.Arrays;

/** A pattern that draws pages one at a time; {@link #generate} sorts and coalesces each batch of draws. */
public abstract class SampledPattern implements PagePattern {
    /** Draws per sort: large enough to find adjacent pages, small enough to stay in cache. */
    static final int BATCH = 4096;

    private final long pages;
    private final long[] buf = new long[BATCH];

    SampledPattern(long pages) {
        if (pages <= 0) {
            throw new IllegalArgumentException("pattern over " + pages + " pages");
        }
        this.pages = pages;
    }

    @Override
    public final long pages() {
        return pages;
    }

    /** The next page written, in {@code [0, pages())}. */
    public abstract long nextPage();

    @Override
    public final void generate(long count, RunSink sink) {
        while (count > 0) {
            int n = (int) Math.min(count, BATCH);
            for (int i = 0; i < n; i++) {
                buf[i] = nextPage();
            }
            Arrays.sort(buf, 0, n);
            long first = buf[0];
            long last = first;
            for (int i = 1; i < n; i++) {
                long p = buf[i];
                if (p == last || p == last + 1) {
                    last = p;
                    continue;
                }
                sink.run(first, last - first + 1);
                first = p;
                last = p;
            }
            sink.run(first, last - first + 1);
            count -= n;
        }
    }
}
