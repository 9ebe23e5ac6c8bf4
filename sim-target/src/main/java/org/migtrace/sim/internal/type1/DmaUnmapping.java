package org.migtrace.sim.internal.type1;

import static org.migtrace.uapi.Structs.VFIO_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/** {@code VFIO_IOMMU_UNMAP_DMA} ({@code vfio_iommu_type1_unmap_dma}, {@code vfio_dma_do_unmap}). */
final class DmaUnmapping {
    private static final int UNMAP_FLAGS = Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP
            | Structs.VFIO_DMA_UNMAP_FLAG_ALL | Structs.VFIO_DMA_UNMAP_FLAG_VADDR;
    /** {@code BUG_ON(++retries > 10)}: a driver that does not unpin on notification crashes the kernel. */
    private static final int MAX_UNMAP_RETRIES = 10;

    private DmaUnmapping() {
    }

    /** {@code vfio_iommu_type1_unmap_dma}: on success the bytes unmapped are written back to {@code size}. */
    static long unmapDma(KernelCtx ctx, Type1Iommu iommu, long arg) {
        StructLayout l = VFIO_IOMMU_TYPE1_DMA_UNMAP;
        int minsz = l.offsetOfEnd("size");
        byte[] unmap = ctx.copyFromUser(arg, minsz);
        if (unmap == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = l.field("argsz").get(unmap, 0);
        long flags = l.field("flags").get(unmap, 0);
        if (argsz < minsz || (flags & ~UNMAP_FLAGS) != 0) {
            return Errno.EINVAL.ret();
        }
        boolean getBitmap = (flags & Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) != 0;
        if (getBitmap && (flags & (Structs.VFIO_DMA_UNMAP_FLAG_ALL | Structs.VFIO_DMA_UNMAP_FLAG_VADDR)) != 0) {
            return Errno.EINVAL.ret();
        }
        long iova = l.field("iova").get(unmap, 0);
        long size = l.field("size").get(unmap, 0);
        UserBitmap bitmap = null;
        if (getBitmap) {
            if (argsz < minsz + VFIO_BITMAP.size()) {
                return Errno.EINVAL.ret();
            }
            byte[] b = ctx.copyFromUser(arg + minsz, VFIO_BITMAP.size());
            if (b == null) {
                return Errno.EFAULT.ret();
            }
            bitmap = UserBitmap.read(VFIO_BITMAP, b, "");
            long rc = bitmap.verify(size);
            if (rc < 0) {
                return rc;
            }
        }
        long[] unmapped = new long[1];
        long ret = doUnmap(ctx, iommu, iova, size, flags, bitmap, unmapped);
        if (ret < 0) {
            return ret; // the size is not reported back on failure
        }
        l.field("size").put(unmap, 0, unmapped[0]);
        return ctx.copyToUser(arg, unmap, minsz) ? 0 : Errno.EFAULT.ret();
    }

    /**
     * {@code vfio_dma_do_unmap}. A v2 container refuses ranges that bisect a mapping; a v1
     * container unmaps whole mappings that start inside the range and stops at one that starts
     * before it (success with size 0). With GET_DIRTY_BITMAP each mapping's bits are written just
     * before it is freed. Mappings with pinned pages are only freed once the drivers unpinned them
     * on notification; the range is then checked again from the start.
     */
    private static long doUnmap(KernelCtx ctx, Type1Iommu iommu, long iova, long size, long flags, UserBitmap bitmap,
                                long[] unmapped) {
        long check = checkUnmap(iommu, iova, size, flags, bitmap);
        if (check < 0) {
            return check;
        }
        boolean unmapAll = (flags & Structs.VFIO_DMA_UNMAP_FLAG_ALL) != 0;
        long iovaEnd = unmapAll ? -1L : iova + size - 1;
        Dma lastNotified = null;
        int retries = 0;
        while (true) {
            if (iommu.v2 && !unmapAll && iommu.dmas.bisects(iova, iovaEnd)) {
                return Errno.EINVAL.ret();
            }
            Walk w = walk(ctx, iommu, iova, iovaEnd, (flags & Structs.VFIO_DMA_UNMAP_FLAG_VADDR) != 0, bitmap,
                    unmapped);
            if (w.needsUnpin() == null) {
                return w.ret();
            }
            if (w.needsUnpin() == lastNotified) {
                if (++retries > MAX_UNMAP_RETRIES) {
                    throw new IllegalStateException("kernel BUG in vfio_dma_do_unmap: no driver unpinned "
                            + w.needsUnpin() + " on dma_unmap notification");
                }
            } else {
                lastNotified = w.needsUnpin();
                retries = 0;
            }
            notifyUnmap(ctx, iommu, w.needsUnpin());
        }
    }

    /** The argument checks of {@code vfio_dma_do_unmap}, in order: 0 or {@code -errno}. */
    private static long checkUnmap(Type1Iommu iommu, long iova, long size, long flags, UserBitmap bitmap) {
        if ((flags & Structs.VFIO_DMA_UNMAP_FLAG_VADDR) != 0 && !iommu.emulatedGroups.isEmpty()) {
            return Errno.EBUSY.ret(); // cannot update vaddr while an mdev may pin
        }
        long pgsize = iommu.pgsize();
        if ((iova & (pgsize - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        if ((flags & Structs.VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
            if (iova != 0 || size != 0) {
                return Errno.EINVAL.ret();
            }
        } else {
            if (size == 0 || (size & (pgsize - 1)) != 0) {
                return Errno.EINVAL.ret();
            }
            if (DmaMapping.wraps(iova, size)) {
                return iommu.options().kernel() == Type1Kernel.CURRENT ? Errno.EOVERFLOW.ret() : Errno.EINVAL.ret();
            }
        }
        if (bitmap != null && (!iommu.dirtyTracking || bitmap.pgsize() != pgsize)) {
            return Errno.EINVAL.ret(); // with tracking on, only the smallest page size
        }
        return 0;
    }

    /** How one pass over the range ended: {@code ret}, or a mapping whose pins must go first. */
    private record Walk(long ret, Dma needsUnpin) {
    }

    private static Walk walk(KernelCtx ctx, Type1Iommu iommu, long iova, long iovaEnd, boolean invalidateVaddr,
                             UserBitmap bitmap, long[] unmapped) {
        Dma first = iommu.dmas.first(iova, iovaEnd);
        for (Dma n = first; n != null; ) {
            if (Long.compareUnsigned(n.iova, iovaEnd) > 0) {
                break;
            }
            if (!iommu.v2 && Long.compareUnsigned(iova, n.iova) > 0) {
                break;
            }
            if (invalidateVaddr) {
                if (n.vaddrInvalid) {
                    for (Dma r = first; r != n; r = iommu.dmas.next(r)) { // undo this call's marks
                        r.vaddrInvalid = false;
                        iommu.vaddrInvalidCount--;
                    }
                    unmapped[0] = 0;
                    return new Walk(Errno.EINVAL.ret(), null);
                }
                n.vaddrInvalid = true;
                iommu.vaddrInvalidCount++;
                unmapped[0] += n.size;
                n = iommu.dmas.next(n);
                continue;
            }
            if (!n.pinned.isEmpty()) {
                return new Walk(0, n);
            }
            if (bitmap != null) {
                long rc = DirtyPages.report(ctx, iommu, n, bitmap.data(), iova, false);
                if (rc < 0) {
                    return new Walk(rc, null);
                }
            }
            unmapped[0] += n.size;
            Dma next = iommu.dmas.next(n);
            iommu.removeDma(n);
            n = next;
        }
        return new Walk(0, null);
    }

    /** {@code vfio_notify_dma_unmap}: every registered device must unpin what it pinned in the range. */
    private static void notifyUnmap(KernelCtx ctx, Type1Iommu iommu, Dma dma) {
        for (VfioDevice d : iommu.deviceList.toArray(new VfioDevice[0])) {
            d.driver().dmaUnmap(ctx, dma.iova, dma.size);
        }
    }

}
