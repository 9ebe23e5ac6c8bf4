package org.migtrace.sim.internal.type1;

import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * {@code VFIO_IOMMU_DIRTY_PAGES} ({@code vfio_iommu_type1_dirty_pages}) and the per-mapping report
 * shared with unmap ({@code update_user_bitmap}).
 *
 * <p>What is reported: pages pinned through the pinning API (on every report while pinned), pages
 * written by {@code vfio_dma_rw} (once), and, while any IOMMU group has not yet pinned
 * ({@code num_non_pinned_groups}), every page of every IOMMU-mapped mapping. Type1 reads no
 * hardware dirty bits.
 */
final class DirtyPages {
    private static final int ALL_FLAGS = Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_START
            | Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP | Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
    /** Virtual cost of copying bitmap words to the user: bytes per nanosecond. */
    static final long COPY_BYTES_PER_NS = 10;

    private DirtyPages() {
    }

    /** {@code vfio_iommu_type1_dirty_pages}: checks in the kernel's order. */
    static long ioctl(KernelCtx ctx, Type1Iommu iommu, long arg) {
        if (!iommu.v2) {
            return Errno.EACCES.ret();
        }
        StructLayout l = VFIO_IOMMU_TYPE1_DIRTY_BITMAP;
        int minsz = l.offsetOfEnd("flags");
        byte[] dirty = ctx.copyFromUser(arg, minsz);
        if (dirty == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = l.field("argsz").get(dirty, 0);
        long flags = l.field("flags").get(dirty, 0);
        if (argsz < minsz || (flags & ~ALL_FLAGS) != 0) {
            return Errno.EINVAL.ret();
        }
        // only one flag at a time: __ffs(flags) != __fls(flags); with no flag they differ too (64 vs. -1 here)
        if (Long.numberOfTrailingZeros(flags) != 63 - Long.numberOfLeadingZeros(flags)) {
            return Errno.EINVAL.ret();
        }
        if (flags == Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_START) {
            return start(iommu);
        } else if (flags == Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP) {
            if (iommu.dirtyTracking) {
                iommu.dirtyTracking = false;
                for (Dma d : iommu.dmas.all()) {
                    d.bitmap = null;
                }
            }
            return 0;
        }
        return getBitmap(ctx, iommu, arg + minsz, argsz - minsz);
    }

    /**
     * START: a bitmap per mapping, seeded with the pinned pages. Starting again while tracking is a
     * no-op that keeps the bitmaps.
     */
    private static long start(Type1Iommu iommu) {
        if (iommu.dirtyTracking) {
            return 0;
        }
        for (Dma d : iommu.dmas.all()) {
            long ret = iommu.allocBitmap(d);
            if (ret < 0) {
                return ret; // vfio_dma_bitmap_alloc_all; tracking stays off
            }
            iommu.seedPinned(d);
        }
        iommu.dirtyTracking = true;
        return 0;
    }

    /** GET_BITMAP: the range must be whole mappings; holes are never written. */
    private static long getBitmap(KernelCtx ctx, Type1Iommu iommu, long rangeAddr, long dataSize) {
        StructLayout g = VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;
        if (dataSize == 0 || Long.compareUnsigned(dataSize, g.size()) < 0) {
            return Errno.EINVAL.ret();
        }
        byte[] range = ctx.copyFromUser(rangeAddr, g.size());
        if (range == null) {
            return Errno.EFAULT.ret();
        }
        long iova = g.field("iova").get(range, 0);
        long size = g.field("size").get(range, 0);
        UserBitmap bitmap = UserBitmap.read(g, range, "bitmap.");
        boolean current = iommu.options().kernel() == Type1Kernel.CURRENT;
        if (current) {
            if (size == 0) {
                return Errno.EINVAL.ret();
            }
            if (DmaMapping.wraps(iova, size)) {
                return Errno.EOVERFLOW.ret();
            }
        } else if (Long.compareUnsigned(iova + size, iova) < 0) {
            return Errno.EINVAL.ret(); // before 6.19 the end was exclusive: a range ending at 2^64 is refused
        }
        long rc = bitmap.verify(size);
        if (rc < 0) {
            return rc;
        }
        long iommuPgsize = iommu.pgsize();
        if (bitmap.pgsize() != iommuPgsize) {
            return Errno.EINVAL.ret(); // only the smallest supported page size
        }
        if ((iova & (iommuPgsize - 1)) != 0 || size == 0 || (size & (iommuPgsize - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        if (!iommu.dirtyTracking) {
            return Errno.EINVAL.ret();
        }
        return iovaDirtyBitmap(ctx, iommu, bitmap.data(), iova, iova + size - 1);
    }

    /**
     * {@code vfio_iova_dirty_bitmap}: the range may span several mappings and holes, but must not
     * bisect one. Each mapping is reported, cleared and re-seeded with its pinned pages.
     */
    private static long iovaDirtyBitmap(KernelCtx ctx, Type1Iommu iommu, long data, long iova, long iovaEnd) {
        if (iommu.dmas.bisects(iova, iovaEnd)) {
            return Errno.EINVAL.ret();
        }
        for (Dma n = iommu.dmas.first(iova, iovaEnd); n != null; n = iommu.dmas.next(n)) {
            if (Long.compareUnsigned(n.iova, iovaEnd) > 0) {
                break;
            }
            long ret = report(ctx, iommu, n, data, iova, true);
            if (ret < 0) {
                return ret;
            }
        }
        return 0;
    }

    /**
     * {@code update_user_bitmap} for one mapping, bits relative to {@code baseIova}; with
     * {@code clear}, then {@code bitmap_clear} and {@code vfio_dma_populate_bitmap}.
     */
    static long report(KernelCtx ctx, Type1Iommu iommu, Dma dma, long data, long baseIova, boolean clear) {
        int pgshift = iommu.pgshift();
        long bitOffset = (dma.iova - baseIova) >>> pgshift;
        boolean allDirty = iommu.numNonPinnedGroups > 0 && dma.iommuMapped;
        long ret = dma.bitmap.report(ctx.mem(), data, bitOffset, allDirty, clear);
        long words = Bitmap.wordsFor(dma.bitmap.nbits() + (bitOffset & 63));
        ctx.charge((words << 3) / COPY_BYTES_PER_NS);
        if (ret == 0 && clear) {
            iommu.seedPinned(dma);
        }
        return ret;
    }
}
