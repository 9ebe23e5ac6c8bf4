package org.migtrace.sim.mem;

import java.util.Arrays;

/**
 * A fixed-size bitmap over {@code long} words, bit {@code n} in word {@code n / 64} at position
 * {@code n % 64} (the kernel's {@code unsigned long} bitmap layout on a 64-bit little-endian host,
 * so the words can be copied to user memory as they are). Sized for whole guests: 2^28 bits for a
 * 1 TiB guest of 4 KiB pages is 4 Mi words (32 MiB); never an object per page.
 */
public final class Bitmap {

    /** Receives runs of consecutive set bits. */
    @FunctionalInterface
    public interface RunConsumer {
        void accept(long first, long count);
    }

    private final long[] words;
    private final long nbits;

    /** An all-clear bitmap of {@code nbits} bits. */
    public Bitmap(long nbits) {
        if (nbits < 0 || wordsFor(nbits) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bitmap of " + nbits + " bits");
        }
        this.nbits = nbits;
        this.words = new long[(int) wordsFor(nbits)];
    }

    /** {@code ceil(nbits / 64)}. */
    public static long wordsFor(long nbits) {
        return (nbits + 63) >>> 6;
    }

    /** Number of bits. */
    public long size() {
        return nbits;
    }

    /**
     * The backing words, for bulk copies on hot paths. Bits at or past {@link #size()} are always
     * zero; callers that write the array must keep it that way.
     */
    public long[] words() {
        return words;
    }

    public boolean get(long bit) {
        check(bit);
        return (words[(int) (bit >>> 6)] & (1L << bit)) != 0;
    }

    public void set(long bit) {
        check(bit);
        words[(int) (bit >>> 6)] |= 1L << bit;
    }

    public void clear(long bit) {
        check(bit);
        words[(int) (bit >>> 6)] &= ~(1L << bit);
    }

    /** Sets bits {@code [from, from + count)}. */
    public void setRange(long from, long count) {
        checkRange(from, count);
        applyRange(from, count, true);
    }

    /** Clears bits {@code [from, from + count)}. */
    public void clearRange(long from, long count) {
        checkRange(from, count);
        applyRange(from, count, false);
    }

    private void applyRange(long from, long count, boolean value) {
        applyRange(words, from, count, value);
    }

    /** Sets bits {@code [from, from + count)} of a raw word array (no bounds beyond the array's). */
    public static void setRange(long[] words, long from, long count) {
        applyRange(words, from, count, true);
    }

    /** Sets ({@code value}) or clears bits {@code [from, from + count)} of a raw word array, a word at a time. */
    private static void applyRange(long[] words, long from, long count, boolean value) {
        if (count <= 0) {
            return;
        }
        long end = from + count;
        int first = (int) (from >>> 6);
        int last = (int) ((end - 1) >>> 6);
        long firstMask = -1L << from;
        long lastMask = -1L >>> (-end & 63);
        if (first == last) {
            apply(words, first, firstMask & lastMask, value);
            return;
        }
        apply(words, first, firstMask, value);
        Arrays.fill(words, first + 1, last, value ? -1L : 0L);
        apply(words, last, lastMask, value);
    }

    private static void apply(long[] words, int i, long mask, boolean value) {
        words[i] = value ? words[i] | mask : words[i] & ~mask;
    }

    /** Clears every bit. */
    public void clearAll() {
        Arrays.fill(words, 0L);
    }

    /** Sets every bit below {@link #size()}. */
    public void setAll() {
        setRange(0, nbits);
    }

    /** Number of set bits. */
    public long cardinality() {
        long n = 0;
        for (long w : words) {
            n += Long.bitCount(w);
        }
        return n;
    }

    /** Number of set bits in {@code [from, from + count)}. */
    public long cardinality(long from, long count) {
        checkRange(from, count);
        if (count == 0) {
            return 0;
        }
        long end = from + count;
        int first = (int) (from >>> 6);
        int last = (int) ((end - 1) >>> 6);
        long firstMask = -1L << from;
        long lastMask = -1L >>> (-end & 63);
        if (first == last) {
            return Long.bitCount(words[first] & firstMask & lastMask);
        }
        long n = Long.bitCount(words[first] & firstMask) + Long.bitCount(words[last] & lastMask);
        for (int i = first + 1; i < last; i++) {
            n += Long.bitCount(words[i]);
        }
        return n;
    }

    /** Whether no bit is set. */
    public boolean isEmpty() {
        for (long w : words) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code this |= other}; both must have the same size. */
    public void or(Bitmap other) {
        if (other.nbits != nbits) {
            throw new IllegalArgumentException("size " + other.nbits + " != " + nbits);
        }
        long[] o = other.words;
        for (int i = 0; i < words.length; i++) {
            words[i] |= o[i];
        }
    }

    /** The first set bit at or after {@code from}, or -1. */
    public long nextSetBit(long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("bit " + from);
        }
        if (from >= nbits) {
            return -1;
        }
        int i = (int) (from >>> 6);
        long w = words[i] & (-1L << from);
        while (true) {
            if (w != 0) {
                long bit = ((long) i << 6) + Long.numberOfTrailingZeros(w);
                return bit < nbits ? bit : -1;
            }
            if (++i == words.length) {
                return -1;
            }
            w = words[i];
        }
    }

    /** The first clear bit at or after {@code from}, or {@link #size()} if none. */
    public long nextClearBit(long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("bit " + from);
        }
        if (from >= nbits) {
            return nbits;
        }
        int i = (int) (from >>> 6);
        long w = ~words[i] & (-1L << from);
        while (true) {
            if (w != 0) {
                long bit = ((long) i << 6) + Long.numberOfTrailingZeros(w);
                return Math.min(bit, nbits);
            }
            if (++i == words.length) {
                return nbits;
            }
            w = ~words[i];
        }
    }

    /** Calls {@code consumer} once per run of set bits inside {@code [from, from + count)}, in order. */
    public void forEachRun(long from, long count, RunConsumer consumer) {
        checkRange(from, count);
        long end = from + count;
        long bit = nextSetBit(from);
        while (bit >= 0 && bit < end) {
            long stop = Math.min(nextClearBit(bit), end);
            consumer.accept(bit, stop - bit);
            bit = stop < end ? nextSetBit(stop) : -1;
        }
    }

    /** Calls {@code consumer} once per run of set bits, in order. */
    public void forEachRun(RunConsumer consumer) {
        forEachRun(0, nbits, consumer);
    }

    /**
     * {@code dst |= src << dstBit}, clearing {@code src} as it goes (a get-and-clear harvest of a
     * dirty log into a larger bitmap); returns how many bits of {@code dst} went from 0 to 1, which
     * is what QEMU's {@code cpu_physical_memory_sync_dirty_bitmap} adds to the migration's dirty
     * count. Bits of {@code src} past its logical size must be zero, so the shifted-out tail never
     * lands past {@code dst}'s end.
     */
    public static long orAndCount(long[] src, long[] dst, long dstBit) {
        long added = 0;
        int base = (int) (dstBit >>> 6);
        int shift = (int) (dstBit & 63);
        for (int i = 0; i < src.length; i++) {
            long w = src[i];
            if (w == 0) {
                continue;
            }
            src[i] = 0;
            long lo = w << shift;
            long d = dst[base + i];
            added += Long.bitCount(lo & ~d);
            dst[base + i] = d | lo;
            if (shift != 0) {
                long hi = w >>> (64 - shift);
                if (hi != 0) {
                    long d2 = dst[base + i + 1];
                    added += Long.bitCount(hi & ~d2);
                    dst[base + i + 1] = d2 | hi;
                }
            }
        }
        return added;
    }

    private void check(long bit) {
        if (bit < 0 || bit >= nbits) {
            throw new IndexOutOfBoundsException("bit " + bit + " of " + nbits);
        }
    }

    private void checkRange(long from, long count) {
        if (from < 0 || count < 0 || from + count > nbits) {
            throw new IndexOutOfBoundsException("bits [" + from + ", +" + count + ") of " + nbits);
        }
    }

    @Override
    public String toString() {
        return "Bitmap[" + nbits + " bits, " + cardinality() + " set]";
    }
}
