package org.migtrace.sim.internal.kernel;

import org.migtrace.sim.mem.UserMemory;

/**
 * The kernel's IOVA bitmap ({@code drivers/iommu/iommufd/iova_bitmap.c}, as it is since the 2024
 * rework "Dynamic pinning on iova_bitmap_set()" / "Remove iterator logic"): the user bitmap that
 * {@code VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT} and {@code IOMMU_HWPT_GET_DIRTY_BITMAP} write.
 *
 * <p>Nothing is pinned at allocation, and {@link #forEach} hands the whole range to the reporter
 * at once. Each {@link #set} pins (up to {@value #MAX_PINNED_PAGES} user pages, i.e. 2 MiB of
 * bitmap) the window holding its first bit and moves the window when it runs past it. A window
 * that cannot be pinned (a bad {@code data} pointer, the end of the user's buffer) silently drops
 * the rest of that set, and nothing reports it: that is why IOMMU_HWPT_GET_DIRTY_BITMAP returns 0
 * for a bad bitmap pointer on current kernels, after the dirty bits were read and cleared all the
 * same. (6.7 pinned the first window at allocation and failed the ioctl with ENOMEM instead; the
 * windowed iterator of 6.7–6.9, with its set-ahead, is gone.)
 *
 * <p>The user bitmap is a byte array, bit {@code n} ↔ IOVA {@code iova + n * page_size}, at any
 * alignment.
 */
public final class IovaBitmap {
    /** {@code PAGE_SIZE / sizeof(struct page *)}. */
    public static final int MAX_PINNED_PAGES = UserMemory.PAGE_SIZE / 8;
    private static final long BITS_PER_PAGE = UserMemory.PAGE_SIZE * 8L;

    private final UserMemory mem;
    private final long data;
    private final long iova;
    private final long length;
    private final int pgshift;
    private final long totalIndex;
    // the pinned window
    private long baseIndex;
    private long npages;
    private long pgoff;
    private long mappedIova;
    private long mappedLength;

    /** {@code iova_bitmap_alloc(iova, length, page_size, data)}. */
    public IovaBitmap(UserMemory mem, long iova, long length, long pageSize, long data) {
        this.mem = mem;
        this.data = data;
        this.iova = iova;
        this.length = length;
        this.pgshift = Long.numberOfTrailingZeros(pageSize);
        this.totalIndex = offsetToIndex(length - 1) + 1;
        this.mappedIova = iova;
    }

    /** The reporter ({@code iova_bitmap_fn_t}): 0 or {@code -errno}. */
    @FunctionalInterface
    public interface Reporter {
        long report(IovaBitmap bitmap, long iova, long length);
    }

    /** {@code iova_bitmap_for_each}: one call for the whole range; pinning happens in {@link #set}. */
    public long forEach(Reporter fn) {
        return fn.report(this, iova, length);
    }

    public long iova() {
        return iova;
    }

    public long length() {
        return length;
    }

    /** {@code iova_bitmap_offset_to_index}: the byte holding the bit of a relative IOVA. */
    private long offsetToIndex(long offset) {
        return (offset >>> pgshift) / 8;
    }

    private long indexToOffset(long index) {
        return (index * 8) << pgshift;
    }

    /**
     * {@code iova_bitmap_set}: sets the bits of {@code [iova, iova + length)}. Returns the IOVA at
     * which it had to stop because the bitmap could not be pinned there, or {@code setIova +
     * setLength} when every bit was written.
     */
    public long set(long setIova, long setLength) {
        long at = setIova;
        long len = setLength;
        while (true) {
            if (!inWindow(at, len) && !advanceTo(at)) {
                return at;
            }
            long curBit = ((at - mappedIova) >>> pgshift) + pgoff * 8;
            long lastBit = (((at + len - 1) - mappedIova) >>> pgshift) + pgoff * 8;
            long windowBits = npages * BITS_PER_PAGE;
            long pageBase = data + baseIndex - pgoff;
            if (Long.compareUnsigned(lastBit, windowBits) < 0) {
                setBits(pageBase, curBit, lastBit - curBit + 1);
                return setIova + setLength;
            }
            setBits(pageBase, curBit, windowBits - curBit);
            long left = (lastBit - windowBits + 1) << pgshift;
            at += len - left;
            len = left;
        }
    }

    /** Writes bits into pinned pages; bits past the end of the user's mapping (same page) are lost. */
    private void setBits(long pageBase, long startBit, long nbits) {
        long firstByte = pageBase + (startBit >>> 3);
        UserMemory.Region r = mem.regionAt(firstByte);
        if (r == null) {
            return;
        }
        long maxBits = (r.end() - pageBase) * 8 - startBit;
        mem.setBits(pageBase, startBit, Math.min(nbits, maxBits));
    }

    /** {@code iova_bitmap_mapped_range}. */
    private boolean inWindow(long at, long len) {
        return npages != 0 && Long.compareUnsigned(at, mappedIova) >= 0
                && Long.compareUnsigned(at + len - 1, mappedIova + mappedLength - 1) <= 0;
    }

    /** {@code iova_bitmap_advance_to}: pins the window whose first byte holds {@code at}'s bit. */
    private boolean advanceTo(long at) {
        long index = offsetToIndex(at - iova);
        if (Long.compareUnsigned(index, totalIndex) >= 0) {
            return false;
        }
        baseIndex = index;
        npages = 0;
        return get();
    }

    /** {@code iova_bitmap_get}: {@code pin_user_pages_fast}, which stops at the first hole. */
    private boolean get() {
        long addr = data + baseIndex;
        long want = Long.divideUnsigned(totalIndex - baseIndex + UserMemory.PAGE_SIZE - 1, UserMemory.PAGE_SIZE);
        long off = addr & (UserMemory.PAGE_SIZE - 1);
        want = Math.min(want + (off != 0 ? 1 : 0), MAX_PINNED_PAGES);
        long pinned = UserMemory.accessOk(addr, 1) ? mem.mappedPagesFrom(addr, want) : 0;
        if (pinned <= 0) {
            return false;
        }
        npages = pinned;
        mappedIova = iova + indexToOffset(baseIndex);
        pgoff = off;
        mappedLength = mappedLength();
        return true;
    }

    /** {@code iova_bitmap_mapped_length}: the IOVA the pinned window covers, capped at the range's end. */
    private long mappedLength() {
        long bytes = npages * UserMemory.PAGE_SIZE - pgoff;
        long remaining = Math.min(totalIndex - baseIndex, bytes);
        long span = indexToOffset(remaining);
        long maxIova = iova + length - 1;
        if (Long.compareUnsigned(mappedIova + span - 1, maxIova) > 0) {
            span -= (mappedIova + span - 1) - maxIova;
        }
        return span;
    }
}
