package org.migtrace.sim.internal.type1;

import java.util.TreeMap;
import org.migtrace.sim.SimProcess;

/**
 * One user mapping ({@code struct vfio_dma} in {@code drivers/vfio/vfio_iommu_type1.c}): an IOVA
 * range backed by the process memory at {@code vaddr}, created by one {@code VFIO_IOMMU_MAP_DMA}.
 * Addresses are unsigned 64-bit values.
 */
final class Dma {
    /** {@code IOMMU_READ} / {@code IOMMU_WRITE}: the same bits as the map flags READ and WRITE. */
    static final int IOMMU_READ = 1;
    static final int IOMMU_WRITE = 2;

    final long iova;
    final long size;
    final int prot;
    long vaddr;
    /** Whether the pages are pinned and in the IOMMU page tables (false while no IOMMU domain exists). */
    boolean iommuMapped;
    /** {@code VFIO_DMA_UNMAP_FLAG_VADDR} was applied and no new vaddr given yet. */
    boolean vaddrInvalid;
    /** {@code dma->task} / {@code dma->mm}: whose memory and whose {@code locked_vm}. */
    SimProcess owner;
    /** {@code dma->lock_cap}: RLIMIT_MEMLOCK does not apply. */
    boolean lockCap;
    /** {@code dma->locked_vm}: pages this mapping has charged to its owner. */
    long lockedPages;
    /**
     * The external pins ({@code dma->pfn_list}, {@code struct vfio_pfn}): IOVA → reference count.
     * Keys are the IOVAs the pinning driver passed.
     */
    final TreeMap<Long, int[]> pinned = new TreeMap<>(Long::compareUnsigned);
    /** {@code dma->bitmap}: allocated while dirty tracking is on. */
    DirtyBitmap bitmap;

    Dma(long iova, long size, long vaddr, int prot, SimProcess owner, boolean lockCap) {
        this.iova = iova;
        this.size = size;
        this.vaddr = vaddr;
        this.prot = prot;
        this.owner = owner;
        this.lockCap = lockCap;
    }

    /** The last IOVA of the mapping (unsigned). */
    long last() {
        return iova + size - 1;
    }

    @Override
    public String toString() {
        return String.format("dma[iova 0x%x, size 0x%x, vaddr 0x%x]", iova, size, vaddr);
    }
}
