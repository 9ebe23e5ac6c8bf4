package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * A container ({@code struct vfio_container}, {@code drivers/vfio/container.c}): the groups set
 * into it and, once {@code VFIO_SET_IOMMU} succeeded, its type1 backend. It outlives its fd while
 * groups hold it; detaching the last group releases the backend and the container returns to the
 * unset state.
 */
final class Container {
    final Type1 type1;
    final String name;
    /** {@code container->group_list}; the kernel adds at the head. */
    final List<GroupState> groups = new ArrayList<>();
    /** The IOMMU driver's data; null until {@code VFIO_SET_IOMMU}. */
    Type1Iommu iommu;

    Container(Type1 type1, String name) {
        this.type1 = type1;
        this.name = name;
    }

    /**
     * {@code vfio_container_ioctl_check_extension}: with no backend set every registered IOMMU
     * driver is asked with no data (only type1 is registered here: the no-IOMMU driver is not
     * enabled); with one set, only it is asked.
     */
    long checkExtension(long arg) {
        return Type1Info.checkExtension(iommu, arg);
    }

    /**
     * {@code vfio_ioctl_set_iommu}: needs a group and no backend yet. The driver that reports the
     * extension {@code arg} is opened with it and every group attached; {@code VFIO_UNMAP_ALL} is
     * such an extension but no IOMMU type, so type1's open refuses it with {@code EINVAL}.
     */
    long setIommu(KernelCtx ctx, long arg) {
        if (groups.isEmpty() || iommu != null) {
            return Errno.EINVAL.ret();
        }
        if (Type1Info.checkExtension(null, arg) <= 0) {
            return Errno.ENODEV.ret();
        }
        boolean v2;
        if (arg == Structs.VFIO_TYPE1_IOMMU) {
            v2 = false;
        } else if (arg == Structs.VFIO_TYPE1v2_IOMMU) {
            v2 = true;
        } else {
            return Errno.EINVAL.ret(); // vfio_iommu_type1_open
        }
        Type1Iommu candidate = new Type1Iommu(type1, name, v2);
        for (int i = 0; i < groups.size(); i++) {
            long ret = candidate.attachGroup(ctx, groups.get(i).group);
            if (ret < 0) {
                for (int j = i - 1; j >= 0; j--) {
                    candidate.detachGroup(groups.get(j).group);
                }
                candidate.release();
                return ret;
            }
        }
        iommu = candidate;
        return 0;
    }

    /** {@code vfio_container_attach_group}. */
    long attachGroup(KernelCtx ctx, GroupState g) {
        if (iommu != null) {
            long ret = iommu.attachGroup(ctx, g.group);
            if (ret < 0) {
                return ret;
            }
        }
        g.container = this;
        g.containerUsers = 1;
        groups.add(0, g);
        return 0;
    }

    /** {@code vfio_group_detach_container}: detaching the last group deprivileges the container. */
    void detachGroup(GroupState g) {
        if (iommu != null) {
            iommu.detachGroup(g.group);
        }
        g.container = null;
        g.containerUsers = 0;
        groups.remove(g);
        if (iommu != null && groups.isEmpty()) {
            iommu.release();
            iommu = null;
        }
    }
}
