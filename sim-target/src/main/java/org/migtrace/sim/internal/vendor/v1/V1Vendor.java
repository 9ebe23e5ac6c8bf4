package org.migtrace.sim.internal.vendor.v1;

import java.util.List;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vendor.PinnedPages;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.internal.vfio.MigrationOps;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;

/**
 * A v1-migration device's vendor part on top of vfio-pci core: the migration region (index 9), the
 * optional trapped BAR0, reset back to RUNNING, and DMA gated by device_state. It has no v2
 * migration ops, so the VFIO core answers the v2 feature ioctls with {@code ENOTTY}, as a 5.8 – 5.17
 * kernel would for a driver that predates them.
 */
public final class V1Vendor implements VendorOps {
    private final V1DeviceConfig config;
    private V1Migration migration;
    private MigrationRegion region;
    private TrappedBar bar0;
    private VfioDevice device;
    private final PinnedPages pinned = new PinnedPages();

    public V1Vendor(V1DeviceConfig config) {
        this.config = config;
    }

    public V1DeviceConfig config() {
        return config;
    }

    @Override
    public String model() {
        return config.model();
    }

    @Override
    public void bind(VfioDevice device) {
        this.device = device;
        this.migration = new V1Migration(config, device.name(), this::savingVeto);
        this.region = new MigrationRegion(config, migration);
        this.bar0 = config.trap() == null ? null : new TrappedBar(config, migration::saving);
    }

    /** The device_state register as the device holds it now. */
    public int deviceState() {
        return bound().state();
    }

    /** Accesses to the trapped part of BAR0 the driver intercepted (0 without the trap option). */
    public long trappedAccesses() {
        return bar0 == null ? 0 : bar0.trappedAccesses();
    }

    /** Bytes the resume side consumed since RESUMING was last entered. */
    public long resumedBytes() {
        return bound().resumeSink().consumed();
    }

    /** First open: the migration state starts from its default, RUNNING (libvfio-user sets it at init). */
    @Override
    public long openDevice(KernelCtx ctx) {
        bound().reset(ctx);
        return 0;
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        bound().reset(ctx);
        pinned.clear(device.access(), device);
    }

    /**
     * The out-of-tree v1 drivers of the time were mediated (vGPU) drivers that pin the guest pages
     * they work on through {@code vfio_pin_pages}; such a driver registers for unmap notifications.
     * One that never pins stays out of type1's pinned scope, so registering costs it nothing.
     */
    @Override
    public boolean hasDmaUnmap() {
        return true;
    }

    @Override
    public void dmaUnmap(KernelCtx ctx, long iova, long length) {
        pinned.unmapped(device.access(), device, iova, length);
    }

    /** Pins the working set through the pinning API (0, EINVAL without one, or the pin error). */
    @Override
    public long setWorkingSet(KernelCtx ctx, List<IovaRange> ranges) {
        return pinned.set(device == null ? null : device.access(), device, ranges);
    }

    @Override
    public MigrationOps migrationOps() {
        return null;
    }

    @Override
    public List<DeviceRegion> regions() {
        bound();
        return List.of(region);
    }

    @Override
    public DeviceRegion bar(int index) {
        return index == PciCore.BAR0 ? bar0 : null;
    }

    /** {@code VFIO_DEVICE_RESET}: the only way out of the error state; back to RUNNING. */
    @Override
    public void resetDone(KernelCtx ctx) {
        bound().reset(ctx);
    }

    @Override
    public boolean dmaAllowed() {
        return bound().dmaAllowed();
    }

    private Errno savingVeto(KernelCtx ctx) {
        return bar0 == null ? null : bar0.savingVeto(ctx, this::isDeviceFile);
    }

    private boolean isDeviceFile(KFile f) {
        return f instanceof VfioDeviceFile df && df.device() == device;
    }

    private V1Migration bound() {
        if (migration == null) {
            throw new IllegalStateException("v1 device not registered with the VFIO core yet");
        }
        return migration;
    }
}
