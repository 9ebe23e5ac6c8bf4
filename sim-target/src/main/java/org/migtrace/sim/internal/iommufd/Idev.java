package org.migtrace.sim.internal.iommufd;

import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.sim.internal.vfio.VfioDevice;

/**
 * A device bound to a context ({@code struct iommufd_device}), created by
 * {@code VFIO_DEVICE_BIND_IOMMUFD}. The VFIO driver holds a user on it until unbind, so
 * {@code IOMMU_DESTROY} of a device id is always EBUSY. It holds the context's file open, as
 * {@code iommufd_ctx_get} does, and claims DMA ownership of its group for the context.
 */
final class Idev extends IommufdObject {
    private final IommufdCtx ictx;
    private final OpenFile ictxFile;
    private final VfioDevice device;
    private final IGroup group;
    /** {@code vdev->iommufd_attached}. */
    private boolean attached;

    Idev(IommufdCtx ictx, OpenFile ictxFile, VfioDevice device, IGroup group) {
        super(Type.DEVICE);
        this.ictx = ictx;
        this.ictxFile = ictxFile;
        this.device = device;
        this.group = group;
    }

    IommufdCtx ictx() {
        return ictx;
    }

    OpenFile ictxFile() {
        return ictxFile;
    }

    VfioDevice device() {
        return device;
    }

    IGroup group() {
        return group;
    }

    boolean attached() {
        return attached;
    }

    void setAttached(boolean attached) {
        this.attached = attached;
    }

    /** {@code iommufd_device_destroy}: release DMA ownership and the group. */
    @Override
    void destroy() {
        ictx.subsystem().releaseDmaOwner(device.group(), ictx);
        group.unbind();
        ictx.putGroup(group);
    }
}
