package org.migtrace.recorder.internal;

import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;

/**
 * Turns a dirty bitmap in user memory into runs of set bits, streaming: the bitmap is read in
 * chunks of u64 words into one reused buffer (never a copy of the whole bitmap: a 1 TiB guest's is
 * 32 MiB) and scanned a word at a time, so that an all-zero or all-one word costs one comparison and
 * a 2^28-bit all-dirty bitmap is one run found in one pass. The bitmap may start at any byte
 * address (IOMMUFD places no alignment requirement on it); its bits past {@code nbits} are ignored,
 * whatever the kernel wrote there.
 *
 * <p>Not thread-safe: one instance per recorder.
 */
public final class BitmapRuns {
    /** Words per read: 64 KiB, small against the bitmaps and large against the per-call overhead. */
    private static final int CHUNK_WORDS = 8192;

    private final long[] chunk = new long[CHUNK_WORDS];
    private Bitmap.RunConsumer consumer;
    private long runStart;

    /**
     * Calls {@code runs} once per run of set bits of the {@code request}'s bitmap, in order, with
     * absolute page numbers. Returns false if the bitmap could not be read entirely (a fault: the
     * runs up to the fault were reported, an open run closed at the fault).
     */
    public boolean scan(UserMemory mem, BitmapRequest request, Bitmap.RunConsumer runs) {
        return scan(TracedMemory.of(mem), request, runs);
    }

    /** As {@link #scan(UserMemory, BitmapRequest, Bitmap.RunConsumer)}, over any traced memory. */
    public boolean scan(TracedMemory mem, BitmapRequest request, Bitmap.RunConsumer runs) {
        this.consumer = (first, count) -> runs.accept(request.firstPage() + first, count);
        this.runStart = -1;
        long nbits = request.nbits();
        long nbytes = (nbits + 7) >>> 3;
        long fullWords = nbytes >>> 3;
        long read = words(mem, request.addr(), fullWords, nbits);
        boolean complete = read == fullWords;
        long bit = read << 6;
        int tail = (int) (nbytes - (fullWords << 3));
        if (complete && tail > 0) {
            complete = tail(mem, request.addr() + (fullWords << 3), tail, bit, nbits);
            bit = complete ? nbits : bit;
        }
        if (runStart >= 0) {
            consumer.accept(runStart, Math.min(bit, nbits) - runStart);
        }
        this.consumer = null;
        return complete;
    }

    /** Scans {@code count} whole u64 words at {@code addr} a chunk at a time; how many could be read. */
    private long words(TracedMemory mem, long addr, long count, long nbits) {
        long w = 0;
        while (w < count) {
            int n = (int) Math.min(CHUNK_WORDS, count - w);
            boolean ok = mem.readLongs(addr + (w << 3), chunk, 0, n);
            if (!ok) {
                n = readable(mem, addr + (w << 3), n); // the words before the fault
            }
            for (int i = 0; i < n; i++) {
                long base = (w + i) << 6;
                word(last(chunk[i], base, nbits), base);
            }
            w += n;
            if (!ok) {
                break;
            }
        }
        return w;
    }

    /** Scans the last {@code bytes} (1..7) bytes of the bitmap, whose bit 0 is bit {@code base}; false on a fault. */
    private boolean tail(TracedMemory mem, long addr, int bytes, long base, long nbits) {
        byte[] b = mem.read(addr, bytes);
        if (b == null) {
            return false;
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (b[i] & 0xFFL) << (8 * i);
        }
        word(last(v, base, nbits), base);
        return true;
    }

    /** Reads words one by one into the chunk until one faults; how many were read. */
    private int readable(TracedMemory mem, long addr, int n) {
        int i = 0;
        while (i < n && mem.readLongs(addr + ((long) i << 3), chunk, i, 1)) {
            i++;
        }
        return i;
    }

    /** The word starting at bit {@code base} with the bits at or past {@code nbits} cleared. */
    private static long last(long w, long base, long nbits) {
        long left = nbits - base;
        return left >= 64 ? w : w & ((1L << left) - 1);
    }

    /** Extends, closes or opens runs across one word whose bit 0 is bit {@code base} of the bitmap. */
    private void word(long w, long base) {
        if (w == 0) {
            if (runStart >= 0) {
                consumer.accept(runStart, base - runStart);
                runStart = -1;
            }
            return;
        }
        if (w == -1L) {
            if (runStart < 0) {
                runStart = base;
            }
            return;
        }
        int pos = 0;
        while (pos < 64) {
            if (runStart >= 0) {
                long zeros = ~w & (-1L << pos);
                if (zeros == 0) {
                    return;
                }
                pos = Long.numberOfTrailingZeros(zeros);
                consumer.accept(runStart, base + pos - runStart);
                runStart = -1;
            } else {
                long ones = w & (-1L << pos);
                if (ones == 0) {
                    return;
                }
                pos = Long.numberOfTrailingZeros(ones);
                runStart = base + pos;
            }
        }
    }
}
