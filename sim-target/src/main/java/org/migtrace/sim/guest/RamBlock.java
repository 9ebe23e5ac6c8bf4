package org.migtrace.sim.guest;

/**
 * The guest's RAM as the VMM holds it: one anonymous mapping ({@code pc.ram} in QEMU), indexed by
 * RAM offset. Migration bitmaps and the write log are indexed by page of this block.
 *
 * @param name      QEMU's RAM block name
 * @param hva       host virtual address of the mapping in the VMM
 * @param size      bytes
 * @param pageSize  backing page size: 4 KiB, or 2 MiB / 1 GiB hugetlbfs
 */
public record RamBlock(String name, long hva, long size, long pageSize) {
    /** Number of 4 KiB pages. */
    public long pages() {
        return size >>> GuestMemory.PAGE_SHIFT;
    }
}
