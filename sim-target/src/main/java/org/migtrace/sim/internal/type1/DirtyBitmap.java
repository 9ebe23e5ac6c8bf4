package org.migtrace.sim.internal.type1;

import java.util.Arrays;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * The dirty bitmap of one mapping ({@code dma->bitmap}), one bit per smallest IOMMU page, laid out
 * as the kernel allocates it: {@code DIRTY_BITMAP_BYTES(npages)} plus one extra u64 that
 * {@code bitmap_shift_left} may spill into.
 *
 * <p>The words are real; what is kept on the side is only a conservative range of words that may
 * be non-zero, so that reporting a sparse 1 TiB bitmap costs a zero-fill of the user buffer plus
 * the words that carry bits, and clearing touches only those.
 *
 * <p>Two kernel details are kept on purpose ({@code update_user_bitmap} and
 * {@code vfio_iova_dirty_bitmap}): the first, shared user word is OR-ed in <em>whole</em>
 * ({@code bitmap_or} over one word), and after a shifted copy only bits {@code [0, npages)} are
 * cleared, so bits shifted past the end stay in the spill word and come back on later reports.
 */
final class DirtyBitmap {
    private final long nbits;
    private final int fullWords;
    private final long[] words;
    /** Words {@code [lo, hi)} may hold set bits; all others are zero. Empty when {@code lo >= hi}. */
    private int lo = Integer.MAX_VALUE;
    private int hi;

    /** A zeroed bitmap for {@code nbits} pages ({@code nbits <= INT_MAX}, checked by the caller). */
    DirtyBitmap(long nbits) {
        if (nbits < 0 || nbits > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bitmap of " + nbits + " bits");
        }
        this.nbits = nbits;
        this.fullWords = (int) Bitmap.wordsFor(nbits);
        this.words = new long[fullWords + 1];
    }

    long nbits() {
        return nbits;
    }

    /** {@code bitmap_set(bitmap, bit, 1)}. */
    void set(long bit) {
        int w = (int) (bit >>> 6);
        words[w] |= 1L << bit;
        widen(w, w + 1);
    }

    /** {@code bitmap_set(bitmap, from, count)}. */
    void setRange(long from, long count) {
        if (count <= 0) {
            return;
        }
        Bitmap.setRange(words, from, count);
        widen((int) (from >>> 6), (int) ((from + count - 1) >>> 6) + 1);
    }

    /** {@code bitmap_set(bitmap, 0, npages)}: every page dirty. */
    void setAll() {
        setRange(0, nbits);
    }

    /** {@code bitmap_clear(bitmap, 0, npages)}: bits past {@code npages} (the spill) stay. */
    void clearPages() {
        if (lo >= hi) {
            return;
        }
        int whole = (int) (nbits >>> 6);
        int from = lo;
        int to = Math.min(hi, whole);
        if (from < to) {
            Arrays.fill(words, from, to, 0L);
        }
        if ((nbits & 63) != 0) {
            words[whole] &= -1L << nbits;
        }
        int newLo = Integer.MAX_VALUE;
        int newHi = 0;
        for (int i = Math.max(lo, whole); i < hi; i++) {
            if (words[i] != 0) {
                newLo = Math.min(newLo, i);
                newHi = i + 1;
            }
        }
        lo = newLo;
        hi = newHi;
    }

    /**
     * {@code update_user_bitmap}: writes this mapping's bits into the user bitmap at {@code data},
     * starting at bit {@code bitOffset}; with {@code allDirty} ({@code num_non_pinned_groups} and an
     * IOMMU-mapped mapping) every page is set first. With {@code clear} the bits are then cleared as
     * {@code vfio_iova_dirty_bitmap} does; the caller re-seeds the pinned pages.
     *
     * @return 0, or {@code -EFAULT} (the kernel bitmap is left as the kernel leaves it at that point)
     */
    long report(UserMemory mem, long data, long bitOffset, boolean allDirty, boolean clear) {
        long copyOffset = bitOffset >>> 6;
        int shift = (int) (bitOffset & 63);
        long addr = data + (copyOffset << 3);
        if (allDirty && shift == 0 && fullWords > 0) {
            return reportAllDirty(mem, addr, clear);
        }
        if (allDirty) {
            setAll();
        }
        int count = (int) Bitmap.wordsFor(nbits + shift);
        if (shift != 0) {
            shiftLeft(shift, count);
            long[] leftover = new long[1];
            if (!UserCopy.readWord(mem, addr, leftover)) {
                return Errno.EFAULT.ret();
            }
            words[0] |= leftover[0];
            if (leftover[0] != 0) {
                widen(0, 1);
            }
        }
        long rc = lo >= hi ? UserCopy.copyWords(mem, addr, words, 0, 0, count)
                : UserCopy.copyWords(mem, addr, words, lo, hi, count);
        if (rc != 0) {
            return rc;
        }
        if (clear) {
            clearPages();
        }
        return 0;
    }

    /**
     * The common non-pinned-scope case without a shift, done without materializing the set bits:
     * set-all followed by clear-pages leaves the words as clear-pages alone would.
     */
    private long reportAllDirty(UserMemory mem, long addr, boolean clear) {
        long tailMask = (nbits & 63) == 0 ? -1L : (1L << nbits) - 1;
        long lastWord = tailMask | (words[fullWords - 1] & ~tailMask);
        long rc = UserCopy.copyOnes(mem, addr, fullWords, lastWord);
        if (rc != 0 || !clear) {
            setAll();
            return rc;
        }
        clearPages();
        return 0;
    }

    /** {@code bitmap_shift_left(bitmap, bitmap, shift, nbits + shift)} in place; {@code lim} = result words. */
    private void shiftLeft(int shift, int lim) {
        if (lo >= hi || lo >= lim) {
            return;
        }
        int top = Math.min(hi + 1, lim);
        for (int k = top - 1; k >= lo; k--) {
            long lower = k > 0 ? words[k - 1] >>> (64 - shift) : 0;
            words[k] = (words[k] << shift) | lower;
        }
        hi = Math.max(hi, top);
    }

    private void widen(int from, int to) {
        lo = Math.min(lo, from);
        hi = Math.max(hi, to);
    }
}
