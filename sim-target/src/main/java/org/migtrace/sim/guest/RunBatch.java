package org.migtrace.sim.guest;

/** Collects page runs for one writer and hands them on in batches of bounded size, merging a run that continues the last. */
final class RunBatch implements RunSink {
    /** Runs per batch: one memory-write event each, so events stay small however fast the workload. */
    static final int CAPACITY = 4096;

    @FunctionalInterface
    interface Flush {
        void flush(long[] firstPages, long[] pageCounts, int n);
    }

    private final long[] firsts = new long[CAPACITY];
    private final long[] counts = new long[CAPACITY];
    private final Flush out;
    private int n;

    RunBatch(Flush out) {
        this.out = out;
    }

    @Override
    public void run(long firstPage, long pages) {
        if (n > 0 && firsts[n - 1] + counts[n - 1] == firstPage) {
            counts[n - 1] += pages;
            return;
        }
        if (n == CAPACITY) {
            flush();
        }
        firsts[n] = firstPage;
        counts[n++] = pages;
    }

    /** Hands on what is collected, if anything. */
    void flush() {
        if (n > 0) {
            int k = n;
            n = 0;
            out.flush(firsts, counts, k);
        }
    }
}
