package org.migtrace.sim.internal.vfio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;

/** An IOMMU group ({@code struct vfio_group}): the unit a container attaches. */
public final class VfioGroup {

    /**
     * {@code enum vfio_group_type}: a real IOMMU group, or the one-device group the core makes for a
     * driver registered with {@code vfio_register_emulated_iommu_dev} (mdev-style devices that reach
     * guest memory only through the pinning API).
     */
    public enum Type { IOMMU, EMULATED_IOMMU }

    /**
     * What the group's IOMMU owner (a type1 container) does when a device of the group is first
     * opened, or last closed, through the group: {@code vfio_device_group_use_iommu} /
     * {@code vfio_device_group_unuse_iommu} in {@code drivers/vfio/group.c}.
     */
    public interface IommuUse {
        /** Before {@code open_device}: 0, or {@code -errno} to fail the open. */
        long use(KernelCtx ctx, VfioDevice device);

        /** After {@code close_device}. */
        void unuse(KernelCtx ctx, VfioDevice device);
    }

    private final int id;
    private final Type type;
    private final List<VfioDevice> devices = new ArrayList<>();
    private IommuUse iommuUse;

    public VfioGroup(int id) {
        this(id, Type.IOMMU);
    }

    public VfioGroup(int id, Type type) {
        this.id = id;
        this.type = type;
    }

    public int id() {
        return id;
    }

    public Type type() {
        return type;
    }

    /** The devices in the group, in registration order. */
    public List<VfioDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    /** The hook group-path opens go through, or null when no container model is installed. */
    public IommuUse iommuUse() {
        return iommuUse;
    }

    public void setIommuUse(IommuUse iommuUse) {
        this.iommuUse = iommuUse;
    }

    void add(VfioDevice device) {
        devices.add(device);
    }
}
