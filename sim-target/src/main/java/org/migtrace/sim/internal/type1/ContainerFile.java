package org.migtrace.sim.internal.type1;

import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/** An open {@code /dev/vfio/vfio} ({@code vfio_fops}): dispatch as {@code vfio_fops_unl_ioctl}. */
final class ContainerFile implements KFile {
    private final Container container;

    ContainerFile(Container container) {
        this.container = container;
    }

    Container container() {
        return container;
    }

    @Override
    public FdKind kind() {
        return FdKind.CONTAINER;
    }

    @Override
    public String objectName() {
        return container.name;
    }

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_GET_API_VERSION.number()) {
            return Structs.VFIO_API_VERSION;
        } else if (cmd == Ioctl.VFIO_CHECK_EXTENSION.number()) {
            return container.checkExtension(arg);
        } else if (cmd == Ioctl.VFIO_SET_IOMMU.number()) {
            return container.setIommu(ctx, arg);
        }
        Type1Iommu iommu = container.iommu;
        return iommu == null ? Errno.EINVAL.ret() : iommu.ioctl(ctx, cmd, arg); // passthrough when set
    }
}
