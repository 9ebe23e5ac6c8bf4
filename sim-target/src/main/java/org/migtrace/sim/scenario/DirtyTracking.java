package org.migtrace.sim.scenario;

/**
 * Who reports the pages a device wrote, which decides what the migration driver asks for:
 * <ul>
 *   <li>{@code dma-logging}: the device logs its own DMA ({@code VFIO_DEVICE_FEATURE_DMA_LOGGING_*});</li>
 *   <li>{@code page-pinning}: an emulated-IOMMU (mdev) driver pins the pages it writes, so type1
 *       reports only pinned pages (its "pinned scope");</li>
 *   <li>{@code iommu}: the device does nothing itself; the IOMMU backend reports: IOMMUFD from the
 *       hardware dirty bits, type1 every mapped page at every pass;</li>
 *   <li>{@code none}: no dirty tracking at all: the VMM must treat all RAM as dirty at every pass
 *       (QEMU with {@code enable-migration=on} and no tracking).</li>
 * </ul>
 */
public enum DirtyTracking implements Labeled {
    DMA_LOGGING,
    PAGE_PINNING,
    IOMMU,
    NONE;

    @Override
    public String toString() {
        return label();
    }
}
