package org.migtrace.sim.internal.type1;

import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_MAP;

import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/** {@code VFIO_IOMMU_MAP_DMA} ({@code vfio_iommu_type1_map_dma}, {@code vfio_dma_do_map}). */
final class DmaMapping {
    private static final int MAP_FLAGS = Structs.VFIO_DMA_MAP_FLAG_READ | Structs.VFIO_DMA_MAP_FLAG_WRITE
            | Structs.VFIO_DMA_MAP_FLAG_VADDR;

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

    /** Whether {@code [start, start + size)} runs past the top of the 64-bit space ({@code check_add_overflow(start, size - 1)}). */
    static boolean wraps(long start, long size) {
        return Long.compareUnsigned(start + size - 1, start) < 0;
    }
}
