package org.migtrace.sim.internal.type1;

import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_INFO;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.InfoCaps;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/** {@code VFIO_CHECK_EXTENSION} and {@code VFIO_IOMMU_GET_INFO} of type1. */
final class Type1Info {
    private Type1Info() {
    }

    /**
     * {@code vfio_iommu_type1_check_extension}; {@code iommu} is null before {@code VFIO_SET_IOMMU}.
     * {@code VFIO_UPDATE_VADDR} is refused while emulated-IOMMU groups are attached (6.3+), and the
     * reserved nesting type (6) is no longer reported (removed in 6.13). Every IOMMU domain here
     * enforces cache coherency (VT-d with snoop control), so {@code VFIO_DMA_CC_IOMMU} is 1 once
     * there is a backend.
     */
    static long checkExtension(Type1Iommu iommu, long arg) {
        if (arg == Structs.VFIO_TYPE1_IOMMU || arg == Structs.VFIO_TYPE1v2_IOMMU || arg == Structs.VFIO_UNMAP_ALL) {
            return 1;
        } else if (arg == Structs.VFIO_UPDATE_VADDR) {
            return iommu != null && iommu.emulatedGroups.isEmpty() ? 1 : 0;
        } else if (arg == Structs.VFIO_DMA_CC_IOMMU) {
            return iommu == null ? 0 : 1;
        }
        return 0;
    }

    /**
     * {@code vfio_iommu_type1_get_info}: the fixed part, then the capability chain
     * migration → DMA avail → IOVA ranges (the last only when there is an IOVA list). If
     * {@code argsz} has no room for the chain, {@code argsz} reports the size needed and
     * {@code cap_offset} stays 0. Only {@code min(argsz, sizeof(info))} bytes are copied back.
     */
    static long getInfo(KernelCtx ctx, Type1Iommu iommu, long arg) {
        StructLayout l = VFIO_IOMMU_TYPE1_INFO;
        int minsz = l.offsetOfEnd("iova_pgsizes");
        byte[] in = ctx.copyFromUser(arg, minsz);
        if (in == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = l.field("argsz").get(in, 0);
        if (argsz < minsz) {
            return Errno.EINVAL.ret();
        }
        int copyBack = (int) Math.min(argsz, l.size());
        byte[] info = new byte[l.size()];
        System.arraycopy(in, 0, info, 0, minsz);
        l.field("flags").put(info, 0, Structs.VFIO_IOMMU_INFO_PGSIZES | Structs.VFIO_IOMMU_INFO_CAPS);
        l.field("iova_pgsizes").put(info, 0, iommu.pgsizeBitmap);
        long r = InfoCaps.copyOut(ctx, arg, info, l, argsz, caps(iommu));
        if (r != 0) {
            return r;
        }
        return ctx.copyToUser(arg, info, copyBack) ? 0 : Errno.EFAULT.ret();
    }

    /** The capabilities, in the kernel's order: migration, DMA avail, IOVA ranges (when there are any). */
    private static List<byte[]> caps(Type1Iommu iommu) {
        List<byte[]> caps = new ArrayList<>(3);
        StructLayout mig = Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT;
        byte[] m = header(mig, Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION);
        mig.field("flags").put(m, 0, 0);
        mig.field("pgsize_bitmap").put(m, 0, iommu.pgsize()); // the smallest page size only
        mig.field("max_dirty_bitmap_size").put(m, 0, Structs.DIRTY_BITMAP_SIZE_MAX);
        caps.add(m);
        StructLayout avail = Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT;
        byte[] a = header(avail, Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL);
        avail.field("avail").put(a, 0, iommu.dmaAvail);
        caps.add(a);
        List<long[]> ranges = iommu.iovaList.ranges();
        if (!ranges.isEmpty()) {
            StructLayout cap = Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT;
            StructLayout range = Structs.VFIO_IOVA_RANGE;
            byte[] r = InfoCaps.create(cap.size() + ranges.size() * range.size(),
                    Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE);
            cap.field("nr_iovas").put(r, 0, ranges.size());
            for (int i = 0; i < ranges.size(); i++) {
                range.field("start").put(r, cap.size() + i * range.size(), ranges.get(i)[0]);
                range.field("end").put(r, cap.size() + i * range.size(), ranges.get(i)[1]);
            }
            caps.add(r);
        }
        return caps;
    }

    private static byte[] header(StructLayout layout, int id) {
        return InfoCaps.create(layout.size(), id);
    }
}
