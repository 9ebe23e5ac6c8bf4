package org.migtrace.sim.internal.iommufd;

import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_MAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_INFO;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/**
 * The VFIO container ioctls an IOMMUFD context answers for numbers outside its own table
 * ({@code drivers/iommu/iommufd/vfio_compat.c: iommufd_vfio_ioctl}), on the compat IOAS
 * ({@code IOMMU_VFIO_IOAS_SET}). Without one, the calls that need it fail with ENODEV after
 * their own argument checks; VFIO_IOMMU_DIRTY_PAGES and everything else are ENOTTY.
 *
 * <p>Not modelled: the type1 (v1) unmap that cuts through an area ({@code iopt_cut_iova} after
 * {@code VFIO_SET_IOMMU(VFIO_TYPE1_IOMMU)}); here such an unmap is ENOENT like a type1v2 one.
 */
final class VfioCompat {
    private VfioCompat() {
    }

    static long ioctl(KernelCtx ctx, IommufdCtx ictx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_GET_API_VERSION.number()) {
            return Structs.VFIO_API_VERSION;
        }
        if (cmd == Ioctl.VFIO_SET_IOMMU.number()) {
            return setIommu(ictx, arg);
        }
        if (cmd == Ioctl.VFIO_CHECK_EXTENSION.number()) {
            return checkExtension(ictx, arg);
        }
        if (cmd == Ioctl.VFIO_IOMMU_GET_INFO.number()) {
            return getInfo(ctx, ictx, arg);
        }
        if (cmd == Ioctl.VFIO_IOMMU_MAP_DMA.number()) {
            return mapDma(ctx, ictx, arg);
        }
        if (cmd == Ioctl.VFIO_IOMMU_UNMAP_DMA.number()) {
            return unmapDma(ctx, ictx, arg);
        }
        return Errno.ENOTTY.ret();
    }

    private static long checkExtension(IommufdCtx ictx, long type) {
        if (type == Structs.VFIO_TYPE1_IOMMU || type == Structs.VFIO_TYPE1v2_IOMMU || type == Structs.VFIO_UNMAP_ALL) {
            return 1;
        }
        if (type == Structs.VFIO_DMA_CC_IOMMU) {
            // every HWPT here enforces cache coherency (x86 VT-d with snoop control)
            return ictx.compatIoas() == null ? Errno.ENODEV.ret() : 1;
        }
        return 0;
    }

    private static long setIommu(IommufdCtx ictx, long type) {
        if (type != Structs.VFIO_TYPE1_IOMMU && type != Structs.VFIO_TYPE1v2_IOMMU) {
            return Errno.EINVAL.ret();
        }
        Ioas ioas = ictx.compatIoas();
        if (ioas == null) {
            return Errno.ENODEV.ret();
        }
        return type == Structs.VFIO_TYPE1_IOMMU ? ioas.iopt().disableLargePages() : 0;
    }

    private static long mapDma(KernelCtx ctx, IommufdCtx ictx, long arg) {
        int minsz = VFIO_IOMMU_TYPE1_DMA_MAP.offsetOfEnd("size");
        byte[] b = ctx.copyFromUser(arg, minsz);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        long flags = VFIO_IOMMU_TYPE1_DMA_MAP.field("flags").get(b, 0);
        long supported = Structs.VFIO_DMA_MAP_FLAG_READ | Structs.VFIO_DMA_MAP_FLAG_WRITE;
        if (VFIO_IOMMU_TYPE1_DMA_MAP.field("argsz").get(b, 0) < minsz || (flags & ~supported) != 0) {
            return Errno.EINVAL.ret();
        }
        Ioas ioas = ictx.compatIoas();
        if (ioas == null) {
            return Errno.ENODEV.ret();
        }
        long[] iova = {VFIO_IOMMU_TYPE1_DMA_MAP.field("iova").get(b, 0)};
        long length = VFIO_IOMMU_TYPE1_DMA_MAP.field("size").get(b, 0);
        long vaddr = VFIO_IOMMU_TYPE1_DMA_MAP.field("vaddr").get(b, 0);
        return ioas.iopt().map(ctx.mem(), vaddr, length, iova, false,
                (flags & Structs.VFIO_DMA_MAP_FLAG_WRITE) != 0, (flags & Structs.VFIO_DMA_MAP_FLAG_READ) != 0);
    }

    /**
     * {@code iommufd_vfio_unmap_dma} (current kernel: an already empty range is success, as in
     * type1; before the 2025 fix it was ENOENT). {@code size} is written back.
     */
    private static long unmapDma(KernelCtx ctx, IommufdCtx ictx, long arg) {
        int minsz = VFIO_IOMMU_TYPE1_DMA_UNMAP.offsetOfEnd("size");
        byte[] b = ctx.copyFromUser(arg, minsz);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        long flags = VFIO_IOMMU_TYPE1_DMA_UNMAP.field("flags").get(b, 0);
        if (VFIO_IOMMU_TYPE1_DMA_UNMAP.field("argsz").get(b, 0) < minsz
                || (flags & ~(long) Structs.VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
            return Errno.EINVAL.ret();
        }
        Ioas ioas = ictx.compatIoas();
        if (ioas == null) {
            return Errno.ENODEV.ret();
        }
        long iova = VFIO_IOMMU_TYPE1_DMA_UNMAP.field("iova").get(b, 0);
        long size = VFIO_IOMMU_TYPE1_DMA_UNMAP.field("size").get(b, 0);
        long[] unmapped = new long[1];
        long rc;
        if ((flags & Structs.VFIO_DMA_UNMAP_FLAG_ALL) != 0) {
            if (iova != 0 || size != 0) {
                return Errno.EINVAL.ret();
            }
            rc = ioas.iopt().unmap(0, -1L, unmapped);
        } else {
            rc = ioas.iopt().unmapIova(iova, size, unmapped);
        }
        VFIO_IOMMU_TYPE1_DMA_UNMAP.field("size").put(b, 0, unmapped[0]);
        if (!ctx.copyToUser(arg, b, minsz)) {
            rc = Errno.EFAULT.ret();
        }
        return rc;
    }

    /** {@code iommufd_vfio_iommu_get_info}: page sizes, then the DMA_AVAIL and IOVA_RANGE capabilities. */
    private static long getInfo(KernelCtx ctx, IommufdCtx ictx, long arg) {
        int minsz = VFIO_IOMMU_TYPE1_INFO.offsetOfEnd("iova_pgsizes");
        byte[] info = ctx.copyFromUser(arg, minsz);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = VFIO_IOMMU_TYPE1_INFO.field("argsz").get(info, 0);
        if (argsz < minsz) {
            return Errno.EINVAL.ret();
        }
        int copySize = (int) Math.min(argsz, VFIO_IOMMU_TYPE1_INFO.size());
        Ioas ioas = ictx.compatIoas();
        if (ioas == null) {
            return Errno.ENODEV.ret();
        }
        byte[] out = new byte[VFIO_IOMMU_TYPE1_INFO.size()];
        long flags = Structs.VFIO_IOMMU_INFO_PGSIZES;
        VFIO_IOMMU_TYPE1_INFO.field("iova_pgsizes").put(out, 0, pageSizes(ioas));
        long total = VFIO_IOMMU_TYPE1_INFO.size();
        long lastCap = -1;
        for (int i = 0; i < 2; i++) {
            long avail = argsz > total ? argsz - total : 0;
            long capSize = i == 0 ? dmaAvailCap(ctx, arg + total, avail) : iovaRangeCap(ctx, ioas, arg + total, avail);
            if (capSize < 0) {
                return capSize;
            }
            if (lastCap >= 0 && argsz >= total) {
                byte[] next = new byte[4];
                Structs.VFIO_INFO_CAP_HEADER.field("next").put(next, -4, total);
                if (!ctx.copyToUser(lastCap + 4, next, 4)) {
                    return Errno.EFAULT.ret();
                }
            }
            lastCap = arg + total;
            total += capSize;
        }
        if (argsz >= total) {
            VFIO_IOMMU_TYPE1_INFO.field("cap_offset").put(out, 0, VFIO_IOMMU_TYPE1_INFO.size());
        }
        VFIO_IOMMU_TYPE1_INFO.field("argsz").put(out, 0, total);
        VFIO_IOMMU_TYPE1_INFO.field("flags").put(out, 0, flags | Structs.VFIO_IOMMU_INFO_CAPS);
        return ctx.copyToUser(arg, out, copySize) ? 0 : Errno.EFAULT.ret();
    }

    /** {@code iommufd_get_pagesizes}. */
    private static long pageSizes(Ioas ioas) {
        long bitmap = -1L;
        for (Hwpt d : ioas.iopt().domains()) {
            bitmap &= d.hw().pgsizeBitmap();
        }
        long pageMask = -IoPagetable.PAGE_SIZE;
        if ((bitmap & ~pageMask) != 0) {
            bitmap &= pageMask;
            bitmap |= IoPagetable.PAGE_SIZE;
        }
        long align = ioas.iopt().iovaAlignment();
        return Long.compareUnsigned(bitmap, align) >= 0 ? bitmap : align;
    }

    private static long dmaAvailCap(KernelCtx ctx, long at, long avail) {
        byte[] cap = new byte[Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT.size()];
        Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT.field("header.id").put(cap, 0, Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
        Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT.field("header.version").put(cap, 0, 1);
        Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT.field("avail").put(cap, 0, 0xFFFF_FFFFL);
        if (avail >= cap.length && !ctx.copyToUser(at, cap, cap.length)) {
            return Errno.EFAULT.ret();
        }
        return cap.length;
    }

    private static long iovaRangeCap(KernelCtx ctx, Ioas ioas, long at, long avail) {
        int head = Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT.size();
        int elm = Structs.VFIO_IOVA_RANGE.size();
        List<long[]> ranges = ioas.iopt().usableRanges();
        int n = 0;
        for (long[] r : ranges) {
            if (avail >= head + (long) (n + 1) * elm) {
                byte[] e = new byte[elm];
                Structs.VFIO_IOVA_RANGE.field("start").put(e, 0, r[0]);
                Structs.VFIO_IOVA_RANGE.field("end").put(e, 0, r[1]);
                if (!ctx.copyToUser(at + head + (long) n * elm, e, elm)) {
                    return Errno.EFAULT.ret();
                }
            }
            n++;
        }
        long size = head + (long) n * elm;
        if (avail >= size) {
            byte[] cap = new byte[head];
            Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT.field("header.id").put(cap, 0,
                    Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
            Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT.field("header.version").put(cap, 0, 1);
            Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT.field("nr_iovas").put(cap, 0, n);
            if (!ctx.copyToUser(at, cap, head)) {
                return Errno.EFAULT.ret();
            }
        }
        return size;
    }
}
