package org.migtrace.sim.internal.iommufd;

import org.migtrace.sim.mem.UserMemory;

/**
 * One {@code IOMMU_IOAS_MAP} ({@code struct iopt_area} with its {@code iopt_pages}): IOVA
 * {@code [iova, iova + length)} backed by the user memory at {@code userVa} of the process that
 * mapped it. Areas are never split (IOMMUFD's native unmap refuses partial coverage).
 */
record Area(long iova, long length, long userVa, boolean writeable, boolean readable, UserMemory mem) {
    /** {@code iopt_area_last_iova}. */
    long last() {
        return iova + length - 1;
    }

    /** The user address behind {@code addr} (which must lie in the area). */
    long userAddress(long addr) {
        return userVa + (addr - iova);
    }

    /** {@code area->page_offset}: the user address's offset in its page. */
    long pageOffset() {
        return userVa & (UserMemory.PAGE_SIZE - 1);
    }
}
