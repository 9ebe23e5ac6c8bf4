package org.migtrace.sim.internal.vendor;

import java.util.List;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.vendor.V2DeviceConfig;

/**
 * An emulated-IOMMU (mdev-style) device such as a vGPU: no IOMMU in front of it, so it reaches
 * guest memory only through the pages it pins ({@code vfio_pin_pages} via {@link VfioDevice#access()})
 * and writes them with {@code vfio_dma_rw}. Its dirty pages are therefore the type1/IOMMUFD
 * pinned-page scope's business; it offers no DMA logging. Its working set (the pinned pages) may
 * change over time ({@link #setWorkingSet}); a DMA to a page outside it does not happen. Its
 * migration driver is {@link UapiMigrationDevice}'s.
 */
final class MdevPinDevice extends UapiMigrationDevice {
    private final PinnedPages pinned = new PinnedPages();

    MdevPinDevice(V2DeviceConfig config) {
        super(config);
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        super.closeDevice(ctx);
        pinned.clear(device().access(), device());
    }

    // ---- the device's DMA

    /**
     * The device's working set becomes the pages {@code ranges} touch (4 KiB pages): pages that left
     * it are unpinned, new ones pinned. 0, EINVAL when there is no pinning API (no container or
     * IOMMUFD access yet), or the pin error.
     */
    @Override
    public long setWorkingSet(KernelCtx ctx, List<IovaRange> ranges) {
        return pinned.set(device().access(), device(), ranges);
    }

    /** An mdev registers for unmap notifications: it must drop its pins on an unmapped range. */
    @Override
    public boolean hasDmaUnmap() {
        return true;
    }

    @Override
    public void dmaUnmap(KernelCtx ctx, long iova, long length) {
        pinned.unmapped(device().access(), device(), iova, length);
    }

    /** The pinned ranges. */
    List<IovaRange> workingSet() {
        return pinned.ranges();
    }

    /**
     * The device writes {@code [iova, iova + length)} through {@code vfio_dma_rw}: only while it
     * may DMA and only when every page is pinned. Returns the bytes written (0 when the write did
     * not happen) or the access's {@code -errno}.
     */
    long dmaWrite(KernelCtx ctx, long iova, long length) {
        VfioDevice device = device();
        if (length <= 0 || !dmaAllowed() || !pinned.covers(iova, length) || device.access() == null) {
            return 0;
        }
        long ret = device.access().dmaRw(device, iova, length, true);
        if (ret < 0) {
            return ret;
        }
        if (ctx.host().observed()) {
            ctx.host().emit(new MemoryWriteEvent(ctx.host().name(), ctx.nowNs(), "dma", device.name(),
                    new long[] {iova}, new long[] {length}, 0));
        }
        return length;
    }
}
