package org.migtrace.sim.internal.type1;

import static org.migtrace.uapi.Structs.VFIO_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_MAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;

import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/** {@code VFIO_IOMMU_MAP_DMA} and {@code VFIO_IOMMU_UNMAP_DMA} ({@code vfio_dma_do_map}, {@code vfio_dma_do_unmap}). */
final class DmaMapping {
    private static final int MAP_FLAGS = Structs.VFIO_DMA_MAP_FLAG_READ | Structs.VFIO_DMA_MAP_FLAG_WRITE
            | Structs.VFIO_DMA_MAP_FLAG_VADDR;
    private static final int UNMAP_FLAGS = Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP
            | Structs.VFIO_DMA_UNMAP_FLAG_ALL | Structs.VFIO_DMA_UNMAP_FLAG_VADDR;
    /** {@code BUG_ON(++retries > 10)}: a driver that does not unpin on notification crashes the kernel. */
    private static final int MAX_UNMAP_RETRIES = 10;

    private DmaMapping() {
    }

    /** {@code vfio_iommu_type1_map_dma}. */
    static long mapDma(KernelCtx ctx, Type1Iommu iommu, long arg) {
        StructLayout l = VFIO_IOMMU_TYPE1_DMA_MAP;
        int minsz = l.offsetOfEnd("size");
        byte[] map = ctx.copyFromUser(arg, minsz);
        if (map == null) {
            return Errno.EFAULT.ret();
        }
        long flags = l.field("flags").get(map, 0);
        if (l.field("argsz").get(map, 0) < minsz || (flags & ~MAP_FLAGS) != 0) {
            return Errno.EINVAL.ret();
        }
        return doMap(ctx, iommu, flags, l.field("vaddr").get(map, 0), l.field("iova").get(map, 0),
                l.field("size").get(map, 0));
    }

    /**
     * {@code vfio_dma_do_map}. From 6.19 the size and wrap checks come first and a wrap is
     * {@code EOVERFLOW}; before, they followed the flag check and a wrap was {@code EINVAL}.
     */
    private static long doMap(KernelCtx ctx, Type1Iommu iommu, long flags, long vaddr, long iova, long size) {
        boolean current = iommu.options().kernel() == Type1Kernel.CURRENT;
        boolean setVaddr = (flags & Structs.VFIO_DMA_MAP_FLAG_VADDR) != 0;
        if (current) {
            if (size == 0) {
                return Errno.EINVAL.ret();
            }
            if (wraps(iova, size) || wraps(vaddr, size)) {
                return Errno.EOVERFLOW.ret();
            }
        }
        int prot = 0;
        if ((flags & Structs.VFIO_DMA_MAP_FLAG_WRITE) != 0) {
            prot |= Dma.IOMMU_WRITE;
        }
        if ((flags & Structs.VFIO_DMA_MAP_FLAG_READ) != 0) {
            prot |= Dma.IOMMU_READ;
        }
        if ((prot != 0) == setVaddr) {
            return Errno.EINVAL.ret(); // a new mapping needs READ/WRITE, a vaddr update must have neither
        }
        long mask = iommu.pgsize() - 1;
        if (size == 0 || ((size | iova | vaddr) & mask) != 0) {
            return Errno.EINVAL.ret();
        }
        if (!current && (wraps(iova, size) || wraps(vaddr, size))) {
            return Errno.EINVAL.ret();
        }
        Dma dma = iommu.dmas.find(iova, size);
        if (setVaddr) {
            return updateVaddr(ctx, iommu, dma, iova, size, vaddr);
        }
        if (dma != null) {
            return Errno.EEXIST.ret();
        }
        if (iommu.dmaAvail == 0) {
            return Errno.ENOSPC.ret();
        }
        if (!iommu.iovaList.valid(iova, iova + size - 1)) {
            return Errno.EINVAL.ret();
        }
        iommu.dmaAvail--;
        SimProcess owner = Type1Iommu.caller(ctx);
        dma = new Dma(iova, size, vaddr, prot, owner, iommu.type1.lockCap());
        iommu.dmas.add(dma);
        long ret = 0;
        if (!iommu.domains.isEmpty()) {
            ret = iommu.pinForIommu(ctx.mem(), dma); // vfio_pin_map_dma: pinned now, or not at all
            if (ret < 0) {
                iommu.removeDma(dma);
                return ret;
            }
            dma.iommuMapped = true;
        }
        if (iommu.dirtyTracking) {
            ret = iommu.allocBitmap(dma); // a new mapping starts clean
            if (ret < 0) {
                iommu.removeDma(dma);
            }
        }
        return ret;
    }

    /** The {@code VFIO_DMA_MAP_FLAG_VADDR} half of {@code vfio_dma_do_map}, with {@code vfio_change_dma_owner}. */
    private static long updateVaddr(KernelCtx ctx, Type1Iommu iommu, Dma dma, long iova, long size, long vaddr) {
        if (dma == null) {
            return Errno.ENOENT.ret();
        }
        if (!dma.vaddrInvalid || dma.iova != iova || dma.size != size) {
            return Errno.EINVAL.ret();
        }
        SimProcess caller = Type1Iommu.caller(ctx);
        if (caller != dma.owner) {
            boolean lockCap = iommu.type1.lockCap();
            if (!lockCap && dma.lockedPages > iommu.type1.memlockAvailablePages(caller)) {
                return Errno.ENOMEM.ret();
            }
            iommu.type1.charge(caller, dma.lockedPages);
            iommu.type1.uncharge(dma.owner, dma.lockedPages);
            dma.owner = caller;
            dma.lockCap = lockCap;
        }
        dma.vaddr = vaddr;
        dma.vaddrInvalid = false;
        iommu.vaddrInvalidCount--;
        return 0;
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
        long[] bitmap = null;
        if (getBitmap) {
            if (argsz < minsz + VFIO_BITMAP.size()) {
                return Errno.EINVAL.ret();
            }
            byte[] b = ctx.copyFromUser(arg + minsz, VFIO_BITMAP.size());
            if (b == null) {
                return Errno.EFAULT.ret();
            }
            bitmap = new long[] {VFIO_BITMAP.field("pgsize").get(b, 0), VFIO_BITMAP.field("size").get(b, 0),
                    VFIO_BITMAP.field("data").get(b, 0)};
            if (!UserMemory.accessOk(bitmap[2], bitmap[1])) {
                return Errno.EINVAL.ret();
            }
            long rc = Type1Iommu.verifyBitmapSize(size >>> Long.numberOfTrailingZeros(bitmap[0]), bitmap[1]);
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
     * before it is freed.
     */
    private static long doUnmap(KernelCtx ctx, Type1Iommu iommu, long iova, long size, long flags, long[] bitmap,
                                long[] unmapped) {
        boolean unmapAll = (flags & Structs.VFIO_DMA_UNMAP_FLAG_ALL) != 0;
        boolean invalidateVaddr = (flags & Structs.VFIO_DMA_UNMAP_FLAG_VADDR) != 0;
        boolean getBitmap = bitmap != null;
        if (invalidateVaddr && !iommu.emulatedGroups.isEmpty()) {
            return Errno.EBUSY.ret(); // cannot update vaddr while an mdev may pin
        }
        long pgsize = iommu.pgsize();
        if ((iova & (pgsize - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        long iovaEnd;
        if (unmapAll) {
            if (iova != 0 || size != 0) {
                return Errno.EINVAL.ret();
            }
            iovaEnd = -1L;
        } else {
            if (size == 0 || (size & (pgsize - 1)) != 0) {
                return Errno.EINVAL.ret();
            }
            if (wraps(iova, size)) {
                return iommu.options().kernel() == Type1Kernel.CURRENT ? Errno.EOVERFLOW.ret() : Errno.EINVAL.ret();
            }
            iovaEnd = iova + size - 1;
        }
        if (getBitmap && (!iommu.dirtyTracking || bitmap[0] != pgsize)) {
            return Errno.EINVAL.ret();
        }
        Dma lastNotified = null;
        int retries = 0;
        while (true) { // "again:"
            if (iommu.v2 && !unmapAll) {
                Dma d = iommu.dmas.at(iova);
                if (d != null && d.iova != iova) {
                    return Errno.EINVAL.ret();
                }
                d = iommu.dmas.at(iovaEnd);
                if (d != null && d.last() != iovaEnd) {
                    return Errno.EINVAL.ret();
                }
            }
            Dma first = iommu.dmas.first(iova, iovaEnd);
            Dma n = first;
            Dma needsUnpin = null;
            while (n != null) {
                if (Long.compareUnsigned(n.iova, iovaEnd) > 0) {
                    break;
                }
                if (!iommu.v2 && Long.compareUnsigned(iova, n.iova) > 0) {
                    break;
                }
                if (invalidateVaddr) {
                    if (n.vaddrInvalid) {
                        for (Dma r = first; r != n; r = iommu.dmas.next(r)) {
                            r.vaddrInvalid = false;
                            iommu.vaddrInvalidCount--;
                        }
                        unmapped[0] = 0;
                        return Errno.EINVAL.ret();
                    }
                    n.vaddrInvalid = true;
                    iommu.vaddrInvalidCount++;
                    unmapped[0] += n.size;
                    n = iommu.dmas.next(n);
                    continue;
                }
                if (!n.pinned.isEmpty()) {
                    needsUnpin = n;
                    break;
                }
                if (getBitmap) {
                    long rc = DirtyPages.report(ctx, iommu, n, bitmap[2], iova, false);
                    if (rc < 0) {
                        return rc;
                    }
                }
                unmapped[0] += n.size;
                Dma next = iommu.dmas.next(n);
                iommu.removeDma(n);
                n = next;
            }
            if (needsUnpin == null) {
                return 0;
            }
            if (needsUnpin == lastNotified) {
                if (++retries > MAX_UNMAP_RETRIES) {
                    throw new IllegalStateException("kernel BUG in vfio_dma_do_unmap: no driver unpinned "
                            + needsUnpin + " on dma_unmap notification");
                }
            } else {
                lastNotified = needsUnpin;
                retries = 0;
            }
            notifyUnmap(ctx, iommu, needsUnpin);
        }
    }

    /** {@code vfio_notify_dma_unmap}: every registered device must unpin what it pinned in the range. */
    private static void notifyUnmap(KernelCtx ctx, Type1Iommu iommu, Dma dma) {
        for (VfioDevice d : iommu.deviceList.toArray(new VfioDevice[0])) {
            d.driver().dmaUnmap(ctx, dma.iova, dma.size);
        }
    }

    /** Whether {@code [start, start + size)} runs past the top of the 64-bit space ({@code check_add_overflow(start, size - 1)}). */
    static boolean wraps(long start, long size) {
        return Long.compareUnsigned(start + size - 1, start) < 0;
    }
}
