package org.migtrace.recorder.internal;

import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.trace.DirtyRows;
import org.migtrace.trace.RunJoiner;

/**
 * Reads a dirty bitmap in user memory as u64 words, streaming: the bitmap is read in chunks into
 * one reused buffer (never a copy of the whole bitmap: a 1 TiB guest's is 32 MiB) and handed on a
 * word at a time with the page of its bit 0, skipping all-zero words; for the trace that is
 * {@link DirtyRows}, which makes runs and word rows by the format's rule, and {@link #scan(TracedMemory,
 * BitmapRequest, Bitmap.RunConsumer)} makes plain runs. The bitmap may start at any byte address
 * (IOMMUFD places no alignment requirement on it); its bits past {@code nbits} are ignored,
 * whatever the kernel wrote there.
 *
 * <p>Not thread-safe: one instance per recorder.
 */
public final class BitmapRuns {
    /** Words per read: 64 KiB, small against the bitmaps and large against the per-call overhead. */
    private static final int CHUNK_WORDS = 8192;

    /** Takes the non-zero words of a bitmap in page order. */
    public interface WordSink {
        /** The word whose bit 0 is page {@code firstPage}. */
        void word(long firstPage, long bits);
    }

    private final long[] chunk = new long[CHUNK_WORDS];
    private final Runs runs = new Runs();

    /**
     * Calls {@code runs} once per run of set bits of the {@code request}'s bitmap, in order, with
     * absolute page numbers. Returns false if the bitmap could not be read entirely (a fault: the
     * runs up to the fault were reported, an open run closed at the fault).
     */
    public boolean scan(UserMemory mem, BitmapRequest request, Bitmap.RunConsumer runs) {
        return scan(TracedMemory.of(mem), request, runs);
    }

    /** As {@link #scan(UserMemory, BitmapRequest, Bitmap.RunConsumer)}, over any traced memory. */
    public boolean scan(TracedMemory mem, BitmapRequest request, Bitmap.RunConsumer consumer) {
        runs.consumer = consumer;
        boolean complete = scanWords(mem, request, runs);
        runs.joiner.close();
        return complete;
    }

    /**
     * Hands {@code words} the non-zero words of the {@code request}'s bitmap in order, each with the
     * absolute page of its bit 0. Returns false if the bitmap could not be read entirely (a fault:
     * the words before it were handed on).
     */
    public boolean scanWords(TracedMemory mem, BitmapRequest request, WordSink words) {
        long nbits = request.nbits();
        long nbytes = (nbits + 7) >>> 3;
        long fullWords = nbytes >>> 3;
        long firstPage = request.firstPage();
        long[] spans = mem.possiblyNonZero(request.addr(), nbytes);
        if (spans != null) { // only these can hold set bits: read just them
            for (int i = 0; i < spans.length; i += 2) {
                long from = spans[i] >>> 3;
                long to = Math.min(fullWords, (spans[i + 1] + 7) >>> 3);
                if (from < to && words(mem, request.addr(), from, to, nbits, firstPage, words) != to) {
                    return false;
                }
            }
        } else {
            long read = words(mem, request.addr(), 0, fullWords, nbits, firstPage, words);
            if (read != fullWords) {
                return false;
            }
        }
        int tail = (int) (nbytes - (fullWords << 3));
        return tail == 0 || tail(mem, request.addr() + (fullWords << 3), tail, fullWords << 6, nbits, firstPage, words);
    }

    /**
     * Hands on the whole u64 words {@code [from, to)} of the bitmap at {@code addr}, read a chunk at a
     * time; the index of the first word that could not be read, or {@code to}.
     */
    private long words(TracedMemory mem, long addr, long from, long to, long nbits, long firstPage, WordSink words) {
        long w = from;
        while (w < to) {
            int n = (int) Math.min(CHUNK_WORDS, to - w);
            boolean ok = mem.readLongs(addr + (w << 3), chunk, 0, n);
            if (!ok) {
                n = readable(mem, addr + (w << 3), n); // the words before the fault
            }
            for (int i = 0; i < n; i++) {
                long v = chunk[i];
                if (v != 0) {
                    long base = (w + i) << 6;
                    words.word(firstPage + base, last(v, base, nbits));
                }
            }
            w += n;
            if (!ok) {
                break;
            }
        }
        return w;
    }

    /** The last {@code bytes} (1..7) bytes of the bitmap, whose bit 0 is bit {@code base}; false on a fault. */
    private boolean tail(TracedMemory mem, long addr, int bytes, long base, long nbits, long firstPage, WordSink words) {
        byte[] b = mem.read(addr, bytes);
        if (b == null) {
            return false;
        }
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v |= (b[i] & 0xFFL) << (8 * i);
        }
        v = last(v, base, nbits);
        if (v != 0) {
            words.word(firstPage + base, v);
        }
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

    /** Plain runs of set bits from words in page order. */
    private static final class Runs implements WordSink {
        private Bitmap.RunConsumer consumer;
        private final RunJoiner joiner = new RunJoiner((first, count) -> consumer.accept(first, count));

        @Override
        public void word(long base, long w) {
            int pos = 0;
            while (pos < 64) {
                long ones = w & (-1L << pos);
                if (ones == 0) {
                    return;
                }
                int start = Long.numberOfTrailingZeros(ones);
                long zeros = ~w & (-1L << start);
                int end = zeros == 0 ? 64 : Long.numberOfTrailingZeros(zeros);
                joiner.add(base + start, base + end);
                pos = end;
            }
        }
    }
}
