package org.migtrace.sim.internal.iommufd;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioGroup;

/**
 * {@code struct iommufd_group}: a context's view of one IOMMU group. The whole group is attached
 * to one HWPT at a time (the first attached device attaches the group, the others follow), and
 * the DMA of every device in the group goes through it.
 */
final class IGroup {
    private final VfioGroup group;
    private final List<Idev> attached = new ArrayList<>();
    private int bound;
    private Hwpt hwpt;

    IGroup(VfioGroup group) {
        this.group = group;
    }

    VfioGroup group() {
        return group;
    }

    /** {@code igroup->hwpt}. */
    Hwpt hwpt() {
        return hwpt;
    }

    /** {@code igroup->device_list}. */
    List<Idev> attached() {
        return attached;
    }

    void bind() {
        bound++;
    }

    void unbind() {
        bound--;
    }

    boolean unused() {
        return bound == 0 && hwpt == null;
    }

    /** {@code iommu_attach_group} / {@code iommu_group_replace_domain}: all the group's DMA now goes to {@code to}. */
    void setHwpt(Hwpt to) {
        hwpt = to;
        for (VfioDevice d : group.devices()) {
            d.setDomain(to);
        }
    }
}
