package org.migtrace.replay.spi;

import java.util.Arrays;

/**
 * A set of pages as sorted, disjoint, non-touching runs {@code [first, first + count)}: how a dirty
 * bitmap is compared and reported. Immutable.
 */
public final class PageRuns {
    public static final PageRuns EMPTY = new PageRuns(new long[0], new long[0], 0);

    private final long[] firsts;
    private final long[] counts;
    private final int size;

    private PageRuns(long[] firsts, long[] counts, int size) {
        this.firsts = firsts;
        this.counts = counts;
        this.size = size;
    }

    /** Number of runs. */
    public int runCount() {
        return size;
    }

    public long first(int run) {
        return firsts[run];
    }

    public long count(int run) {
        return counts[run];
    }

    /** Number of pages in all runs. */
    public long pageCount() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += counts[i];
        }
        return n;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(long page) {
        int i = Arrays.binarySearch(firsts, 0, size, page);
        if (i >= 0) {
            return true;
        }
        int before = -i - 2;
        return before >= 0 && page < firsts[before] + counts[before];
    }

    /** Pages in this set or in {@code other}. */
    public PageRuns union(PageRuns other) {
        Builder b = new Builder();
        int i = 0;
        int j = 0;
        while (i < size || j < other.size) {
            if (j >= other.size || (i < size && firsts[i] <= other.firsts[j])) {
                b.add(firsts[i], counts[i]);
                i++;
            } else {
                b.add(other.firsts[j], other.counts[j]);
                j++;
            }
        }
        return b.build();
    }

    /** Pages in this set and not in {@code other}. */
    public PageRuns minus(PageRuns other) {
        Builder b = new Builder();
        int j = 0;
        for (int i = 0; i < size; i++) {
            long start = firsts[i];
            long end = start + counts[i];
            while (j < other.size && other.firsts[j] + other.counts[j] <= start) {
                j++;
            }
            int k = j;
            while (start < end && k < other.size && other.firsts[k] < end) {
                if (other.firsts[k] > start) {
                    b.add(start, other.firsts[k] - start);
                }
                start = Math.max(start, other.firsts[k] + other.counts[k]);
                k++;
            }
            if (start < end) {
                b.add(start, end - start);
            }
        }
        return b.build();
    }

    /** Pages of this set within {@code [first, end)}. */
    public PageRuns within(long first, long end) {
        return minus(new Builder().add(Long.MIN_VALUE / 2, first - Long.MIN_VALUE / 2)
                .add(end, Long.MAX_VALUE / 2 - end).build());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PageRuns p) || p.size != size) {
            return false;
        }
        return Arrays.equals(firsts, 0, size, p.firsts, 0, size) && Arrays.equals(counts, 0, size, p.counts, 0, size);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(Arrays.copyOf(firsts, size)) * 31 + Arrays.hashCode(Arrays.copyOf(counts, size));
    }

    /** The runs as {@code [first+count, ...]}, the first {@code max} of them, and how many more. */
    public String describe(int max) {
        StringBuilder sb = new StringBuilder();
        sb.append(pageCount()).append(pageCount() == 1 ? " page" : " pages");
        if (size == 0) {
            return sb.toString();
        }
        sb.append(": ");
        for (int i = 0; i < Math.min(size, max); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(counts[i] == 1 ? Long.toString(firsts[i]) : firsts[i] + "+" + counts[i]);
        }
        if (size > max) {
            sb.append(" ... (").append(size - max).append(" more runs)");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return describe(8);
    }

    /** Collects pages or runs in ascending order of their first page; touching and overlapping runs merge. */
    public static final class Builder {
        private long[] firsts = new long[16];
        private long[] counts = new long[16];
        private int size;

        public Builder add(long first, long count) {
            if (count <= 0) {
                return this;
            }
            if (size > 0) {
                long lastEnd = firsts[size - 1] + counts[size - 1];
                if (first < firsts[size - 1]) {
                    throw new IllegalArgumentException("runs out of order: " + first + " after " + firsts[size - 1]);
                }
                if (first <= lastEnd) {
                    counts[size - 1] = Math.max(lastEnd, first + count) - firsts[size - 1];
                    return this;
                }
            }
            if (size == firsts.length) {
                firsts = Arrays.copyOf(firsts, size * 2);
                counts = Arrays.copyOf(counts, size * 2);
            }
            firsts[size] = first;
            counts[size++] = count;
            return this;
        }

        /** Adds the set bits of {@code word}: bit i is page {@code firstPage + i}. */
        public Builder addWord(long firstPage, long word) {
            while (word != 0) {
                int lo = Long.numberOfTrailingZeros(word);
                long shifted = word >>> lo;
                int len = Long.numberOfTrailingZeros(~shifted);
                add(firstPage + lo, len);
                word = len == 64 ? 0 : word & ~(((1L << len) - 1) << lo);
            }
            return this;
        }

        public PageRuns build() {
            return size == 0 ? EMPTY : new PageRuns(Arrays.copyOf(firsts, size), Arrays.copyOf(counts, size), size);
        }
    }
}
