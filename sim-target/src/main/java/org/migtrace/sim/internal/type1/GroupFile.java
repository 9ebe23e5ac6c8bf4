package org.migtrace.sim.internal.type1;

import java.nio.charset.StandardCharsets;
import org.migtrace.sim.internal.kernel.FdTable;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/** An open {@code /dev/vfio/<group>} ({@code vfio_group_fops} in {@code drivers/vfio/group.c}). */
final class GroupFile implements KFile {
    private final GroupState state;

    GroupFile(GroupState state) {
        this.state = state;
    }

    @Override
    public FdKind kind() {
        return FdKind.GROUP;
    }

    @Override
    public String objectName() {
        return "group" + state.group.id();
    }

    /** {@code vfio_group_fops_unl_ioctl}. */
    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_GROUP_GET_DEVICE_FD.number()) {
            return getDeviceFd(ctx, arg);
        } else if (cmd == Ioctl.VFIO_GROUP_GET_STATUS.number()) {
            return getStatus(ctx, arg);
        } else if (cmd == Ioctl.VFIO_GROUP_SET_CONTAINER.number()) {
            return setContainer(ctx, arg);
        } else if (cmd == Ioctl.VFIO_GROUP_UNSET_CONTAINER.number()) {
            return unsetContainer();
        }
        return Errno.ENOTTY.ret();
    }

    @Override
    public void release(KernelCtx ctx) {
        state.released();
    }

    /**
     * {@code vfio_group_ioctl_get_status}. VIABLE is reported unless someone else owns the group's
     * DMA; in this model only a container claims it, and then CONTAINER_SET is reported too.
     */
    private long getStatus(KernelCtx ctx, long arg) {
        int minsz = Structs.VFIO_GROUP_STATUS.offsetOfEnd("flags");
        byte[] status = ctx.copyFromUser(arg, minsz);
        if (status == null) {
            return Errno.EFAULT.ret();
        }
        if (Structs.VFIO_GROUP_STATUS.field("argsz").get(status, 0) < minsz) {
            return Errno.EINVAL.ret();
        }
        int flags = Structs.VFIO_GROUP_FLAGS_VIABLE;
        if (state.container != null) {
            flags |= Structs.VFIO_GROUP_FLAGS_CONTAINER_SET;
        }
        Structs.VFIO_GROUP_STATUS.field("flags").put(status, 0, flags);
        return ctx.copyToUser(arg, status, minsz) ? 0 : Errno.EFAULT.ret();
    }

    /**
     * {@code vfio_group_ioctl_set_container}: {@code arg} points to the container fd (an
     * {@code int}). A group sits in one container at a time; an fd that is no container is
     * {@code EBADFD} (the iommufd-compat path is not modelled here).
     */
    private long setContainer(KernelCtx ctx, long arg) {
        byte[] b = ctx.copyFromUser(arg, 4);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        int fd = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        OpenFile f = ctx.process().fdTable().get(fd);
        if (f == null) {
            return Errno.EBADF.ret();
        }
        if (state.container != null) {
            return Errno.EINVAL.ret();
        }
        if (f.file() instanceof ContainerFile cf) {
            return cf.container().attachGroup(ctx, state);
        }
        return Errno.EBADFD.ret();
    }

    /** {@code vfio_group_ioctl_unset_container}: only the 1 → 0 transition (no device open). */
    private long unsetContainer() {
        if (state.container == null) {
            return Errno.EINVAL.ret();
        }
        if (state.containerUsers != 1) {
            return Errno.EBUSY.ret();
        }
        state.container.detachGroup(state);
        return 0;
    }

    /**
     * {@code vfio_group_ioctl_get_device_fd}: {@code arg} points to the device name, a
     * NUL-terminated string of at most a page ({@code strndup_user(arg, PAGE_SIZE)}).
     */
    private long getDeviceFd(KernelCtx ctx, long arg) {
        UserString s = strndupUser(ctx.mem(), arg, UserMemory.PAGE_SIZE);
        if (s.error() != 0) {
            return s.error();
        }
        String name = s.value();
        VfioDevice device = null;
        for (VfioDevice d : state.group.devices()) {
            if (d.name().equals(name)) { // strcmp(dev_name()); vfio-pci's match op (vf_token) is not modelled
                device = d;
                break;
            }
        }
        if (device == null) {
            return Errno.ENODEV.ret();
        }
        if (ctx.process().fdTable().size() >= FdTable.MAX_FDS - 3) {
            return Errno.EMFILE.ret(); // get_unused_fd_flags
        }
        if (state.container == null) {
            return Errno.EINVAL.ret(); // vfio_df_group_open: !vfio_group_has_iommu
        }
        return VfioDeviceFile.openViaGroup(ctx, device);
    }

    /** A string copied from user memory, or the error copying it. */
    private record UserString(String value, long error) {
    }

    /**
     * {@code strndup_user}: the string at {@code addr}; {@code -EFAULT} when reading it faults before
     * its NUL, {@code -EINVAL} when there is no NUL within {@code max} bytes.
     */
    private static UserString strndupUser(UserMemory mem, long addr, int max) {
        if (!UserMemory.accessOk(addr, 1)) {
            return new UserString(null, Errno.EFAULT.ret());
        }
        byte[] one = new byte[1];
        byte[] buf = new byte[max];
        for (int i = 0; i < max; i++) {
            if (!mem.read(addr + i, one, 0, 1)) {
                return new UserString(null, Errno.EFAULT.ret());
            }
            if (one[0] == 0) {
                return new UserString(new String(buf, 0, i, StandardCharsets.UTF_8), 0);
            }
            buf[i] = one[0];
        }
        return new UserString(null, Errno.EINVAL.ret());
    }
}
