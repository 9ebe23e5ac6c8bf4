package org.migtrace.sim.internal.vfio;

import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;

/**
 * A device fd ({@code struct vfio_device_file} with {@code vfio_device_fops}), opened through a
 * group ({@code VFIO_GROUP_GET_DEVICE_FD}, access granted at once) or through the device cdev
 * ({@code /dev/vfio/devices/vfioN}, access granted by {@code VFIO_DEVICE_BIND_IOMMUFD}).
 * Dispatch follows {@code vfio_device_fops_unl_ioctl}.
 */
public final class VfioDeviceFile implements KFile {
    private final VfioDevice device;
    private final boolean cdev;
    private boolean accessGranted;
    private Object iommufdBinding;

    private VfioDeviceFile(VfioDevice device, boolean cdev) {
        this.device = device;
        this.cdev = cdev;
    }

    /**
     * {@code vfio_device_open_file} for the group path: opens the device, grants access and
     * installs the file. The new fd, or {@code -errno}.
     */
    public static long openViaGroup(KernelCtx ctx, VfioDevice device) {
        long ret = device.open(ctx, true);
        if (ret < 0) {
            return ret;
        }
        VfioDeviceFile f = new VfioDeviceFile(device, false);
        f.accessGranted = true;
        long fd = ctx.installFd(f);
        if (fd < 0) {
            device.close(ctx, true);
        }
        return fd;
    }

    /** {@code vfio_device_fops_cdev_open}: a cdev file, not yet bound (access not granted). */
    public static long openCdev(KernelCtx ctx, VfioDevice device) {
        return ctx.installFd(new VfioDeviceFile(device, true));
    }

    public VfioDevice device() {
        return device;
    }

    public boolean accessGranted() {
        return accessGranted;
    }

    /** Opaque state the IOMMUFD model keeps for a bound cdev file. */
    public Object iommufdBinding() {
        return iommufdBinding;
    }

    /**
     * Completes a cdev bind ({@code vfio_df_open} after the IOMMUFD bind succeeded): opens the
     * device and grants access. 0 or {@code -errno}; on error the binding is not recorded.
     */
    public long completeBind(KernelCtx ctx, Object binding) {
        long ret = device.open(ctx, false);
        if (ret < 0) {
            return ret;
        }
        iommufdBinding = binding;
        accessGranted = true;
        return 0;
    }

    @Override
    public FdKind kind() {
        return FdKind.DEVICE;
    }

    @Override
    public String objectName() {
        return device.name();
    }

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_DEVICE_BIND_IOMMUFD.number()) {
            // vfio_df_ioctl_bind_iommufd reads and checks the struct before it refuses a group-opened
            // file (EINVAL), so the hook does both; without CONFIG_VFIO_DEVICE_CDEV the stub is ENOTTY
            return ctx.host().subsystem(CdevIommufd.class)
                    .map(hook -> hook.bind(ctx, this, arg))
                    .orElse(Errno.ENOTTY.ret());
        }
        if (!accessGranted) {
            return Errno.EINVAL.ret();
        }
        if (cdev) {
            var hook = ctx.host().subsystem(CdevIommufd.class);
            if (hook.isPresent()) {
                if (cmd == Ioctl.VFIO_DEVICE_ATTACH_IOMMUFD_PT.number()) {
                    return hook.get().attachPt(ctx, this, arg);
                }
                if (cmd == Ioctl.VFIO_DEVICE_DETACH_IOMMUFD_PT.number()) {
                    return hook.get().detachPt(ctx, this, arg);
                }
            }
        }
        if (cmd == Ioctl.VFIO_DEVICE_FEATURE.number()) {
            return DeviceFeatureIoctl.ioctl(ctx, device, arg);
        }
        return device.driver().ioctl(ctx, cmd, arg);
    }

    @Override
    public long read(KernelCtx ctx, long buf, long count, long[] pos) {
        return accessGranted ? device.driver().read(ctx, buf, count, pos) : Errno.EINVAL.ret();
    }

    @Override
    public long write(KernelCtx ctx, long buf, long count, long[] pos) {
        return accessGranted ? device.driver().write(ctx, buf, count, pos) : Errno.EINVAL.ret();
    }

    @Override
    public long mmap(KernelCtx ctx, long length, int prot, long offset) {
        return accessGranted ? device.driver().mmap(ctx, length, prot, offset) : Errno.EINVAL.ret();
    }

    @Override
    public void release(KernelCtx ctx) {
        if (cdev && iommufdBinding != null) {
            ctx.host().subsystem(CdevIommufd.class).ifPresent(h -> h.unbind(ctx, this));
        }
        if (accessGranted) {
            device.close(ctx, !cdev);
        }
    }
}
