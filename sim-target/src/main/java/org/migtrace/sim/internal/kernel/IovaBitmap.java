package org.migtrace.sim.internal.kernel;

import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * The kernel's IOVA bitmap iterator ({@code drivers/iommu/iommufd/iova_bitmap.c}), used by both
 * {@code VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT} and {@code IOMMU_HWPT_GET_DIRTY_BITMAP} to write
 * dirty bits into a user bitmap.
 *
 * <p>The user bitmap is a byte array (bit {@code n} ↔ IOVA {@code iova + n * page_size}); it
 * need not be aligned. The kernel pins it in windows of at most {@value #MAX_PINNED_PAGES} user
 * pages (one page of {@code struct page *}), i.e. 2 MiB of bitmap, and calls the reporter once per
 * window with the IOVA range that window covers. A range set past the pinned pages is remembered
 * ("set ahead") and written when the iterator advances. Indexes here are byte indexes into the user
 * bitmap, as in the current kernel (the bitmap pointer is a {@code u8 __user *}).
 */
public final class IovaBitmap {
    /** {@code PAGE_SIZE / sizeof(struct page *)}. */
    public static final int MAX_PINNED_PAGES = UserMemory.PAGE_SIZE / 8;
    private static final long BITS_PER_PAGE = UserMemory.PAGE_SIZE * 8L;

    /** The per-window reporter ({@code iova_bitmap_fn_t}): 0 or {@code -errno}. */
    @FunctionalInterface
    public interface Reporter {
        long report(IovaBitmap bitmap, long iova, long length);
    }

    private final UserMemory mem;
    private final long data;
    private final long iova;
    private final long length;
    private final int pgshift;
    private final long mappedTotalIndex;
    private long mappedBaseIndex;
    private long setAheadLength;
    // the pinned window
    private long mappedIova;
    private long mappedPgoff;
    private long mappedNpages;
    private long mappedPageBase;

    /** {@code iova_bitmap_alloc(iova, length, page_size, data)}; {@code pageSize} must be a power of two. */
    public IovaBitmap(UserMemory mem, long iova, long length, long pageSize, long data) {
        this.mem = mem;
        this.data = data;
        this.iova = iova;
        this.length = length;
        this.pgshift = Long.numberOfTrailingZeros(pageSize);
        this.mappedIova = iova;
        this.mappedTotalIndex = offsetToIndex(length - 1) + 1;
    }

    public long iova() {
        return iova;
    }

    public long length() {
        return length;
    }

    /** log2 of the bitmap's page size. */
    public int pgshift() {
        return pgshift;
    }

    private long offsetToIndex(long off) {
        return Long.divideUnsigned(off, 8L << pgshift);
    }

    private long indexToOffset(long index) {
        return (index * 8) << pgshift;
    }

    private long mappedIovaNow() {
        return iova + indexToOffset(mappedBaseIndex);
    }

    private boolean done() {
        return Long.compareUnsigned(mappedBaseIndex, mappedTotalIndex) >= 0;
    }

    private long mappedRemaining() {
        long bytes = (mappedNpages << UserMemory.PAGE_SHIFT) - mappedPgoff; // unsigned: huge when unpinned
        return umin(mappedTotalIndex - mappedBaseIndex, bytes);
    }

    private long mappedLength() {
        long maxIova = iova + length - 1;
        long at = mappedIovaNow();
        long remaining = indexToOffset(mappedRemaining());
        if (Long.compareUnsigned(at + remaining - 1, maxIova) > 0) {
            remaining -= (at + remaining - 1) - maxIova;
        }
        return remaining;
    }

    /** {@code iova_bitmap_get}: pin the window starting at the current index. */
    private long get() {
        long addr = data + mappedBaseIndex;
        long npages = Long.divideUnsigned(mappedTotalIndex - mappedBaseIndex + UserMemory.PAGE_SIZE - 1, UserMemory.PAGE_SIZE);
        long pgoff = addr & (UserMemory.PAGE_SIZE - 1);
        npages = umin(npages + (pgoff != 0 ? 1 : 0), MAX_PINNED_PAGES);
        long pinned = UserMemory.accessOk(addr, 1) ? mem.mappedPagesFrom(addr, npages) : 0;
        if (pinned <= 0) {
            return Errno.EFAULT.ret();
        }
        mappedNpages = pinned;
        mappedIova = mappedIovaNow();
        mappedPgoff = pgoff;
        mappedPageBase = addr - pgoff;
        return 0;
    }

    private void put() {
        mappedNpages = 0;
    }

    private long setAhead(long aheadLength) {
        long ret = 0;
        while (aheadLength > 0 && !done()) {
            long len = mappedLength();
            long at = mappedIovaNow();
            ret = get();
            if (ret != 0) {
                break;
            }
            len = umin(len, aheadLength);
            set(at, len);
            aheadLength -= len;
            mappedBaseIndex += offsetToIndex(len - 1) + 1;
            put();
        }
        setAheadLength = 0;
        return ret;
    }

    private long advance() {
        long count = offsetToIndex(mappedLength() - 1) + 1;
        mappedBaseIndex += count;
        put();
        if (setAheadLength != 0) {
            long ret = setAhead(setAheadLength);
            if (ret != 0) {
                return ret;
            }
        }
        return done() ? 0 : get();
    }

    /** {@code iova_bitmap_for_each}: calls {@code fn} once per pinned window; the first error stops it. */
    public long forEach(Reporter fn) {
        long ret = get();
        if (ret != 0) {
            return ret;
        }
        for (; !done() && ret == 0; ret = advance()) {
            ret = fn.report(this, mappedIovaNow(), mappedLength());
            if (ret != 0) {
                break;
            }
        }
        return ret;
    }

    /**
     * {@code iova_bitmap_set}: marks {@code [iova, iova + length)} dirty. Bits that fall past the
     * pinned window are remembered and set when the iterator advances.
     */
    public void set(long rangeIova, long rangeLength) {
        long curBit = ((rangeIova - mappedIova) >>> pgshift) + mappedPgoff * 8;
        long lastBit = (((rangeIova + rangeLength - 1) - mappedIova) >>> pgshift) + mappedPgoff * 8;
        long lastPageIdx = mappedNpages - 1;
        do {
            long pageIdx = Long.divideUnsigned(curBit, BITS_PER_PAGE);
            long offset = Long.remainderUnsigned(curBit, BITS_PER_PAGE);
            long nbits = umin(BITS_PER_PAGE - offset, lastBit - curBit + 1);
            if (Long.compareUnsigned(pageIdx, lastPageIdx) > 0) {
                setAheadLength = (lastBit - curBit + 1) << pgshift;
                break;
            }
            // the page is pinned, so the write cannot fault
            mem.setBits(mappedPageBase, curBit, nbits);
            curBit += nbits;
        } while (Long.compareUnsigned(curBit, lastBit) <= 0);
    }

    /** {@code min()} of two {@code unsigned long}s. */
    private static long umin(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
