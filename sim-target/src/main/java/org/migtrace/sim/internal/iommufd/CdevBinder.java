package org.migtrace.sim.internal.iommufd;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_ATTACH_IOMMUFD_PT;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_BIND_IOMMUFD;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_DETACH_IOMMUFD_PT;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.uapi.Errno;

/**
 * The cdev ioctls ({@code drivers/vfio/device_cdev.c}) and {@code vfio_iommufd_physical_*}
 * ({@code drivers/vfio/iommufd.c}), as of 6.7/6.8: no PASID attach flags.
 */
final class CdevBinder {
    private CdevBinder() {
    }

    /**
     * {@code vfio_df_ioctl_bind_iommufd}. Order: EFAULT reading the struct; {@code argsz} short,
     * flags, or a negative fd (EINVAL); already bound (EINVAL); {@code iommufd_ctx_from_fd}: not
     * an open fd (EBADF), not {@code /dev/iommu} (EBADFD); the device already open elsewhere (only
     * the group path may open a device twice: EINVAL); another context owns the group's DMA
     * (EBUSY); then the driver's {@code open_device}, and {@code out_devid} is written.
     * ({@code vfio_device_block_group}, EBUSY while the group chardev is open, is not modelled.)
     */
    static long bind(Iommufd subsystem, KernelCtx ctx, VfioDeviceFile file, long arg) {
        int minsz = VFIO_DEVICE_BIND_IOMMUFD.offsetOfEnd("out_devid");
        byte[] b = ctx.copyFromUser(arg, minsz);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        long fd = VFIO_DEVICE_BIND_IOMMUFD.field("iommufd").get(b, 0);
        if (VFIO_DEVICE_BIND_IOMMUFD.field("argsz").get(b, 0) < minsz || VFIO_DEVICE_BIND_IOMMUFD.field("flags").get(b, 0) != 0
                || fd < 0) {
            return Errno.EINVAL.ret();
        }
        if (file.accessGranted()) {
            return Errno.EINVAL.ret();
        }
        OpenFile of = fd > Integer.MAX_VALUE ? null : ctx.process().fdTable().get((int) fd);
        if (of == null) {
            return Errno.EBADF.ret();
        }
        if (!(of.file() instanceof IommufdCtx ictx)) {
            return Errno.EBADFD.ret();
        }
        if (file.device().openCount() != 0) {
            return Errno.EINVAL.ret();
        }
        // iommufd_device_bind
        long rc = subsystem.claimDmaOwner(file.device().group(), ictx);
        if (rc != 0) {
            return rc;
        }
        IGroup group = ictx.group(file.device().group());
        group.bind();
        Idev idev = new Idev(ictx, of, file.device(), group);
        idev.addUser(); // the VFIO driver's reference until unbind
        ictx.objects().add(idev);
        of.get(); // iommufd_ctx_get
        rc = file.completeBind(ctx, idev);
        if (rc != 0) {
            release(ctx, idev);
            return rc;
        }
        VFIO_DEVICE_BIND_IOMMUFD.field("out_devid").put(b, 0, idev.id());
        // the same bytes were just read, and this memory model has no read-only mappings
        ctx.copyToUser(arg, b, minsz);
        return 0;
    }

    /**
     * {@code vfio_df_ioctl_attach_pt}: EFAULT, {@code argsz} short or flags (EINVAL), then
     * {@code iommufd_device_attach} (or replace when already attached); {@code pt_id} is written
     * back (the HWPT id when an IOAS was given).
     */
    static long attachPt(KernelCtx ctx, VfioDeviceFile file, long arg) {
        int minsz = VFIO_DEVICE_ATTACH_IOMMUFD_PT.offsetOfEnd("pt_id");
        byte[] b = ctx.copyFromUser(arg, minsz);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        if (VFIO_DEVICE_ATTACH_IOMMUFD_PT.field("argsz").get(b, 0) < minsz
                || VFIO_DEVICE_ATTACH_IOMMUFD_PT.field("flags").get(b, 0) != 0) {
            return Errno.EINVAL.ret();
        }
        Idev idev = (Idev) file.iommufdBinding();
        long[] ptId = {VFIO_DEVICE_ATTACH_IOMMUFD_PT.field("pt_id").get(b, 0)};
        long rc = DeviceAttach.attach(idev.ictx(), idev, ptId);
        if (rc != 0) {
            return rc;
        }
        VFIO_DEVICE_ATTACH_IOMMUFD_PT.field("pt_id").put(b, 0, ptId[0]);
        if (!ctx.copyToUser(arg, b, minsz)) {
            DeviceAttach.detach(idev.ictx(), idev);
            return Errno.EFAULT.ret();
        }
        return 0;
    }

    /** {@code vfio_df_ioctl_detach_pt}: detaching a device that is not attached is a no-op. */
    static long detachPt(KernelCtx ctx, VfioDeviceFile file, long arg) {
        int minsz = VFIO_DEVICE_DETACH_IOMMUFD_PT.offsetOfEnd("flags");
        byte[] b = ctx.copyFromUser(arg, minsz);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        if (VFIO_DEVICE_DETACH_IOMMUFD_PT.field("argsz").get(b, 0) < minsz
                || VFIO_DEVICE_DETACH_IOMMUFD_PT.field("flags").get(b, 0) != 0) {
            return Errno.EINVAL.ret();
        }
        Idev idev = (Idev) file.iommufdBinding();
        if (idev.attached()) {
            DeviceAttach.detach(idev.ictx(), idev);
        }
        return 0;
    }

    /** {@code vfio_df_unbind_iommufd} → {@code vfio_iommufd_physical_unbind}: detach, unbind. */
    static void unbind(KernelCtx ctx, VfioDeviceFile file) {
        Idev idev = (Idev) file.iommufdBinding();
        if (idev.attached()) {
            DeviceAttach.detach(idev.ictx(), idev);
        }
        release(ctx, idev);
    }

    /** {@code iommufd_device_unbind}: the device object goes, and with it the hold on the context file. */
    private static void release(KernelCtx ctx, Idev idev) {
        idev.dropUser();
        idev.ictx().objects().destroyIfUnused(idev);
        OpenFile of = idev.ictxFile();
        if (of.put()) {
            of.file().release(ctx);
        }
    }
}
