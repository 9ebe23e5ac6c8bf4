package org.migtrace.sim.internal.type1;

import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The user's dirty bitmap as {@code VFIO_IOMMU_UNMAP_DMA} and {@code VFIO_IOMMU_DIRTY_PAGES} pass it
 * ({@code struct vfio_bitmap}): the page size one bit stands for, the buffer's size in bytes, and
 * its address.
 */
record UserBitmap(long pgsize, long size, long data) {
    /** The {@code struct vfio_bitmap} whose fields are named {@code prefix + "pgsize"} etc. in {@code layout}. */
    static UserBitmap read(StructLayout layout, byte[] b, String prefix) {
        return new UserBitmap(layout.field(prefix + "pgsize").get(b, 0), layout.field(prefix + "size").get(b, 0),
                layout.field(prefix + "data").get(b, 0));
    }

    /**
     * The checks both ioctls make on the bitmap of a {@code rangeSize}-byte range, in their order:
     * {@code access_ok} on the buffer, then {@code verify_bitmap_size} for
     * {@code rangeSize >> __ffs(pgsize)} pages. 0 or {@code -EINVAL}.
     */
    long verify(long rangeSize) {
        if (!UserMemory.accessOk(data, size)) {
            return Errno.EINVAL.ret();
        }
        return verifyBitmapSize(rangeSize >>> Long.numberOfTrailingZeros(pgsize), size);
    }

    /**
     * {@code verify_bitmap_size}: a bitmap for {@code npages} pages must be non-empty, at most
     * {@link Structs#DIRTY_BITMAP_SIZE_MAX} bytes, and hold the pages rounded up to whole u64s.
     */
    private static long verifyBitmapSize(long npages, long bitmapSize) {
        if (npages == 0 || bitmapSize == 0 || Long.compareUnsigned(bitmapSize, Structs.DIRTY_BITMAP_SIZE_MAX) > 0
                || Long.compareUnsigned(bitmapSize, dirtyBitmapBytes(npages)) < 0) {
            return Errno.EINVAL.ret();
        }
        return 0;
    }

    /** {@code DIRTY_BITMAP_BYTES(n)}: {@code n} bits rounded up to whole u64s, in bytes (unsigned). */
    private static long dirtyBitmapBytes(long npages) {
        return ((npages + 63) & ~63L) >>> 3;
    }
}
