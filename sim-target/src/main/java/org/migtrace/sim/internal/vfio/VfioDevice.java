package org.migtrace.sim.internal.vfio;

import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.internal.kernel.KernelCtx;

/**
 * One assigned device ({@code struct vfio_device}): its name, IOMMU group, vendor driver, how many
 * files have it open, and where its DMA goes (the IOMMU domain it is attached to, and for
 * emulated-IOMMU drivers the pinning API).
 */
public final class VfioDevice {
    private final SimHost host;
    private final String name;
    private final VfioGroup group;
    private final DeviceDriver driver;
    private final IommuHw iommuHw;
    private IommuDomain domain;
    private DmaAccess access;
    private int openCount;
    private long dmaDropped;
    private long dmaSuppressed;

    VfioDevice(SimHost host, String name, VfioGroup group, DeviceDriver driver, IommuHw iommuHw) {
        this.host = host;
        this.name = name;
        this.group = group;
        this.driver = driver;
        this.iommuHw = iommuHw;
    }

    public SimHost host() {
        return host;
    }

    public String name() {
        return name;
    }

    public VfioGroup group() {
        return group;
    }

    public DeviceDriver driver() {
        return driver;
    }

    /** The IOMMU in front of the device; null for an emulated-IOMMU device. */
    public IommuHw iommuHw() {
        return iommuHw;
    }

    /** The IOMMU domain DMA goes through, or null when the device is attached to none. */
    public IommuDomain domain() {
        return domain;
    }

    public void setDomain(IommuDomain domain) {
        this.domain = domain;
    }

    /** The pinning API for emulated-IOMMU drivers, or null. */
    public DmaAccess access() {
        return access;
    }

    public void setAccess(DmaAccess access) {
        this.access = access;
    }

    /** How many open files ({@code vfio_device_file}) have bound the device. */
    public int openCount() {
        return openCount;
    }

    /**
     * {@code vfio_df_open}: the first open calls the driver's {@code open_device}; a first open
     * through the group first takes the group's IOMMU ({@code vfio_df_device_first_open} calls
     * {@code vfio_device_group_use_iommu} before {@code open_device}).
     */
    long open(KernelCtx ctx, boolean viaGroup) {
        if (openCount == 0) {
            VfioGroup.IommuUse use = viaGroup ? group.iommuUse() : null;
            long ret = use == null ? 0 : use.use(ctx, this);
            if (ret < 0) {
                return ret;
            }
            ret = driver.openDevice(ctx);
            if (ret < 0) {
                if (use != null) {
                    use.unuse(ctx, this);
                }
                return ret;
            }
        }
        openCount++;
        return 0;
    }

    /** {@code vfio_df_close}: the last close calls {@code close_device}, then gives the group's IOMMU back. */
    void close(KernelCtx ctx, boolean viaGroup) {
        if (openCount <= 0) {
            throw new IllegalStateException("close of unopened device " + name);
        }
        if (--openCount == 0) {
            driver.closeDevice(ctx);
            VfioGroup.IommuUse use = viaGroup ? group.iommuUse() : null;
            if (use != null) {
                use.unuse(ctx, this);
            }
        }
    }

    /** Bytes of DMA the IOMMU faulted so far. */
    public long dmaDropped() {
        return dmaDropped;
    }

    /** Bytes of DMA the workload asked for while the device was not allowed to DMA (stopped, NDMA). */
    public long dmaSuppressed() {
        return dmaSuppressed;
    }

    /**
     * The device hardware writes guest memory: each run {@code [starts[i], starts[i] + lengths[i])}
     * of IOVA goes through the IOMMU domain (which records the write and any hardware dirty bits)
     * and through the driver's own tracking. Nothing is written while the device may not DMA.
     * Observers see one {@link MemoryWriteEvent} for the batch.
     *
     * @return bytes the IOMMU faulted
     */
    public long dmaWrite(KernelCtx ctx, long[] starts, long[] lengths) {
        if (!driver.dmaAllowed()) {
            for (long l : lengths) {
                dmaSuppressed += l;
            }
            return 0;
        }
        long dropped = 0;
        for (int i = 0; i < starts.length; i++) {
            dropped += domain == null ? lengths[i] : domain.dmaWrite(this, starts[i], lengths[i]);
            driver.dmaWritten(ctx, starts[i], lengths[i]);
        }
        dmaDropped += dropped;
        if (host.observed()) {
            host.emit(new MemoryWriteEvent(host.name(), host.clock().nanos(), "dma", name, starts.clone(),
                    lengths.clone(), dropped));
        }
        return dropped;
    }

    @Override
    public String toString() {
        return name + " (" + driver.model() + ", group " + group.id() + ")";
    }
}
