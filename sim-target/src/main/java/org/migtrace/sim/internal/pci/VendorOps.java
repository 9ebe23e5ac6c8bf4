package org.migtrace.sim.internal.pci;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.DeviceDriver;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.internal.vfio.MigrationOps;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.uapi.Errno;

/**
 * What a vendor (variant) driver adds to vfio-pci core: migration and logging ops, device-specific
 * regions, its reset handling, and the device hardware's DMA behaviour. mlx5-vfio-pci,
 * hisi-acc-vfio-pci and pds-vfio-pci are all "vfio-pci core plus these"; {@link PciCore} supplies
 * the rest.
 */
public interface VendorOps {
    /** Model name ({@code mlx5-vf}, {@code hisi-acc-vf}, {@code mtty}, ...). */
    String model();

    /** The core registered the device. */
    default void bind(VfioDevice device) {
    }

    /** First open of the device, after vfio-pci core enabled it (drivers reset their migration state here). */
    default long openDevice(KernelCtx ctx) {
        return 0;
    }

    /** Last close of the device. */
    default void closeDevice(KernelCtx ctx) {
    }

    /** v2 migration ops, or null. */
    default MigrationOps migrationOps() {
        return null;
    }

    /** DMA logging ops, or null. */
    default LogOps logOps() {
        return null;
    }

    /** Device-specific regions, indexes from {@code VFIO_PCI_NUM_REGIONS} (9) upward, in order. */
    default List<DeviceRegion> regions() {
        return List.of();
    }

    /** A replacement for BAR {@code index} (for drivers that trap part of a BAR); null keeps the core's. */
    default DeviceRegion bar(int index) {
        return null;
    }

    /** {@code VFIO_DEVICE_RESET} reset the function ({@code reset_done}): put migration state back to its default. */
    default void resetDone(KernelCtx ctx) {
    }

    /** {@code device_feature} for indexes the VFIO core does not handle (vfio-pci core answers ENOTTY). */
    default long deviceFeature(KernelCtx ctx, int flags, long arg, long argsz) {
        return Errno.ENOTTY.ret();
    }

    /** Whether the device may issue DMA now. */
    boolean dmaAllowed();

    /** The device wrote {@code [iova, iova + length)}: record it in the driver's own tracking, if any. */
    default void dmaWritten(KernelCtx ctx, long iova, long length) {
    }

    /** Whether the driver has a {@code dma_unmap} op (see {@link DeviceDriver#hasDmaUnmap()}). */
    default boolean hasDmaUnmap() {
        return false;
    }

    /** {@code dma_unmap}: unpin what the driver pinned in {@code [iova, iova + length)}. */
    default void dmaUnmap(KernelCtx ctx, long iova, long length) {
    }

    /** See {@link DeviceDriver#setWorkingSet}: drivers that do not pin answer {@code EOPNOTSUPP}. */
    default long setWorkingSet(KernelCtx ctx, List<IovaRange> ranges) {
        return Errno.EOPNOTSUPP.ret();
    }
}
