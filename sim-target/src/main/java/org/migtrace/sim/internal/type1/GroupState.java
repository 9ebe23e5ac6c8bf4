package org.migtrace.sim.internal.type1;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioGroup;
import org.migtrace.uapi.Errno;

/**
 * The container side of one {@code struct vfio_group}: its open file, the container it is set
 * into, and {@code container_users} (1 for the group itself, plus one per device opened through
 * it, each of which also holds the group file open).
 */
final class GroupState implements VfioGroup.IommuUse {
    final VfioGroup group;
    /** {@code group->opened_file}: the group can be open only once at a time. */
    OpenFile openedFile;
    Container container;
    int containerUsers;

    GroupState(VfioGroup group) {
        this.group = group;
    }

    /** {@code vfio_group_fops_open}: {@code -EBUSY} while the group is open (or held by a device fd). */
    long open(KernelCtx ctx) {
        if (openedFile != null) {
            return Errno.EBUSY.ret();
        }
        OpenFile f = new OpenFile(new GroupFile(this));
        int fd = ctx.process().fdTable().install(f);
        if (fd < 0) {
            return Errno.EMFILE.ret();
        }
        openedFile = f;
        return fd;
    }

    /** {@code vfio_group_fops_release}: the last reference to the group file went away. */
    void released() {
        if (container != null) {
            container.detachGroup(this);
        }
        openedFile = null;
    }

    /**
     * {@code vfio_device_group_use_iommu} → {@code vfio_group_use_container}: a device's first open
     * through the group needs a container with its IOMMU set; it registers the device with the
     * backend and holds the group file.
     */
    @Override
    public long use(KernelCtx ctx, VfioDevice device) {
        if (container == null || container.iommu == null || containerUsers == 0) {
            return Errno.EINVAL.ret();
        }
        openedFile.get();
        containerUsers++;
        container.iommu.registerDevice(device);
        return 0;
    }

    /** {@code vfio_device_group_unuse_iommu}: after the device's last close. */
    @Override
    public void unuse(KernelCtx ctx, VfioDevice device) {
        if (container != null && container.iommu != null) {
            container.iommu.unregisterDevice(device);
        }
        containerUsers--;
        OpenFile f = openedFile;
        if (f != null && f.put()) {
            f.file().release(ctx);
        }
    }
}
