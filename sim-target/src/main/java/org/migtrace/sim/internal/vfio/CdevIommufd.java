package org.migtrace.sim.internal.vfio;

import org.migtrace.sim.internal.kernel.KernelCtx;

/**
 * The IOMMUFD side of a device cdev ({@code drivers/vfio/device_cdev.c}): installed as a host
 * subsystem by the IOMMUFD model; the device file calls it for the cdev-only ioctls.
 */
public interface CdevIommufd {
    /**
     * {@code VFIO_DEVICE_BIND_IOMMUFD}: on success the file is bound and access is granted. Called
     * for group-opened files too, which the kernel refuses (EINVAL) only after reading and checking
     * the struct.
     */
    long bind(KernelCtx ctx, VfioDeviceFile file, long arg);

    /** {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT}. */
    long attachPt(KernelCtx ctx, VfioDeviceFile file, long arg);

    /** {@code VFIO_DEVICE_DETACH_IOMMUFD_PT}. */
    long detachPt(KernelCtx ctx, VfioDeviceFile file, long arg);

    /** The bound file is being released: undo the binding. */
    void unbind(KernelCtx ctx, VfioDeviceFile file);
}
