package org.migtrace.sim.internal.vfio;

/**
 * An IOMMU translation context a device's DMA goes through ({@code struct iommu_domain}): a type1
 * container's domain, or an IOMMUFD hardware page table. It translates IOVA to the process
 * address the mapping points at, records the write in that memory's write log, and sets whatever
 * hardware dirty state the domain keeps (IOMMUFD HWPTs with dirty tracking enabled set IOPTE dirty
 * bits; type1 domains keep none).
 */
public interface IommuDomain {
    /**
     * A DMA write of {@code length} bytes at {@code iova} by {@code device}.
     *
     * @return the number of bytes that faulted (no mapping, or mapped read-only)
     */
    long dmaWrite(VfioDevice device, long iova, long length);

    /** A short name for messages: {@code type1:container0}, {@code hwpt:3}. */
    String describe();
}
