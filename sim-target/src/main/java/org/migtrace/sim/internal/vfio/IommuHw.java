package org.migtrace.sim.internal.vfio;

/**
 * What the IOMMU in front of a device can do: the page sizes its page tables support and whether
 * it keeps hardware dirty bits (Intel VT-d second-level A/D bits, AMD-Vi HD, SMMUv3 HTTU), which
 * IOMMUFD's {@code IOMMU_HW_CAP_DIRTY_TRACKING} and {@code IOMMU_HWPT_ALLOC_DIRTY_TRACKING} expose.
 */
public record IommuHw(boolean dirtyTracking, long pgsizeBitmap) {
    public static final long SZ_4K = 1L << 12;
    public static final long SZ_2M = 1L << 21;
    public static final long SZ_1G = 1L << 30;

    /** An x86 IOMMU with 4K/2M/1G pages and dirty tracking. */
    public static final IommuHw X86_DIRTY = new IommuHw(true, SZ_4K | SZ_2M | SZ_1G);
    /** An x86 IOMMU with 4K/2M/1G pages and no dirty tracking (older VT-d). */
    public static final IommuHw X86_NO_DIRTY = new IommuHw(false, SZ_4K | SZ_2M | SZ_1G);

    public IommuHw {
        if ((pgsizeBitmap & SZ_4K) == 0) {
            throw new IllegalArgumentException("the IOMMU must support 4 KiB pages");
        }
    }

    /** The smallest supported page size. */
    public long minPageSize() {
        return Long.lowestOneBit(pgsizeBitmap);
    }
}
