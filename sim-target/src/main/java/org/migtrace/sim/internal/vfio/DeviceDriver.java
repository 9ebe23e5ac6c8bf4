package org.migtrace.sim.internal.vfio;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;

/**
 * A vendor driver bound to one device: the simulated {@code struct vfio_device_ops} plus the
 * optional migration and logging ops, and the device hardware behind it (whether it may DMA now,
 * how it tracks its own DMA). Variant drivers (mlx5, hisi_acc, pds) are vfio-pci core plus vendor
 * migration code; mdev-style drivers pin guest pages instead of using an IOMMU.
 */
public interface DeviceDriver {
    /** Model name for traces and messages ({@code mlx5-vf}, {@code mtty}, ...). */
    String model();

    /** The VFIO core registered {@code device} with this driver. */
    void bind(VfioDevice device);

    /** {@code open_device}: the first open of the device (group GET_DEVICE_FD or cdev BIND). */
    default long openDevice(KernelCtx ctx) {
        return 0;
    }

    /** {@code close_device}: the last open file went away. */
    default void closeDevice(KernelCtx ctx) {
    }

    /** {@code ioctl} for everything the VFIO core does not handle itself (vfio-pci: GET_INFO, REGION_INFO, RESET, ...). */
    long ioctl(KernelCtx ctx, long cmd, long arg);

    /** {@code read} of device regions ({@code pos[0]} encodes region index and offset). */
    long read(KernelCtx ctx, long buf, long count, long[] pos);

    /** {@code write} of device regions. */
    long write(KernelCtx ctx, long buf, long count, long[] pos);

    /** {@code mmap} check of a device region: 0 to accept, or {@code -errno}. */
    long mmap(KernelCtx ctx, long length, int prot, long offset);

    /** {@code device_feature}: features the core does not handle (vfio-pci answers ENOTTY for unknown ones). */
    default long deviceFeature(KernelCtx ctx, int flags, long arg, long argsz) {
        return Errno.ENOTTY.ret();
    }

    /**
     * Whether the driver has a {@code dma_unmap} op ({@code struct vfio_device_ops}). Only such
     * drivers are registered with a type1 container for unmap notifications, and type1 refuses
     * {@code vfio_pin_pages} while none is registered.
     */
    default boolean hasDmaUnmap() {
        return false;
    }

    /**
     * {@code dma_unmap}: the user is unmapping {@code [iova, iova + length)}; the driver must unpin
     * every page it pinned there (through {@link DmaAccess#unpinPages}) before returning.
     */
    default void dmaUnmap(KernelCtx ctx, long iova, long length) {
    }

    /**
     * The device's working set changes to the pages {@code ranges} touch (the guest driver handed it
     * new buffers): a driver that reaches guest memory by pinning ({@code vfio_pin_pages}) pins what
     * joined and unpins what left. Not a syscall: the hardware side, like {@link #dmaWritten}.
     * 0, {@code -EOPNOTSUPP} for a driver that does not pin, or the pin error.
     */
    default long setWorkingSet(KernelCtx ctx, List<IovaRange> ranges) {
        return Errno.EOPNOTSUPP.ret();
    }

    /** The v2 migration ops, or null (no v2 migration: the core answers ENOTTY). */
    MigrationOps migrationOps();

    /** The DMA logging ops, or null. */
    LogOps logOps();

    /** Whether the device may issue DMA now (not in a stopped state; not quiesced by NDMA). */
    boolean dmaAllowed();

    /**
     * The device's hardware wrote {@code [iova, iova + length)} (after the IOMMU translated it):
     * device-side dirty tracking (a DMA log, or pinning through {@link DmaAccess}) records it here.
     */
    void dmaWritten(KernelCtx ctx, long iova, long length);
}
