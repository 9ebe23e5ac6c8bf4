package org.migtrace.sim.internal.kernel;

/** A character device node a driver serves ({@code /dev/vfio/vfio}, {@code /dev/iommu}, ...). */
@FunctionalInterface
public interface DevNode {
    /**
     * Opens it: creates the file and installs it with {@link KernelCtx#installFd(KFile)}, returning
     * the fd, or returns {@code -errno}.
     */
    long open(KernelCtx ctx);
}
