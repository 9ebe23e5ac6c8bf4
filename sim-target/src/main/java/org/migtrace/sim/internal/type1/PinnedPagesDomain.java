package org.migtrace.sim.internal.type1;

import java.util.Map;
import org.migtrace.sim.internal.vfio.IommuDomain;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;

/**
 * Where an emulated-IOMMU device's own writes land: it has no IOMMU, only the pages it pinned
 * through {@link Type1Access} (it holds their host pages), so a write reaches memory on pinned
 * pages of writable mappings and goes nowhere elsewhere. The writes are recorded in the owner's
 * write log; they set no dirty bits (the pin already reports those pages on every read).
 */
final class PinnedPagesDomain implements IommuDomain {
    private final Type1Iommu iommu;

    PinnedPagesDomain(Type1Iommu iommu) {
        this.iommu = iommu;
    }

    @Override
    public long dmaWrite(VfioDevice device, long iova, long length) {
        long dropped = 0;
        long cur = iova;
        long rem = length;
        while (rem > 0) {
            long inPage = UserMemory.PAGE_SIZE - (cur & (UserMemory.PAGE_SIZE - 1));
            long n = Math.min(rem, inPage);
            Dma dma = iommu.dmas.at(cur);
            if (dma != null && (dma.prot & Dma.IOMMU_WRITE) != 0 && pinned(dma, cur)) {
                dma.owner.memory().noteWrite(dma.vaddr + (cur - dma.iova), n);
            } else {
                dropped += n;
            }
            cur += n;
            rem -= n;
        }
        return dropped;
    }

    /** Whether the page holding {@code addr} is pinned (pins are keyed by the IOVA the driver passed). */
    private static boolean pinned(Dma dma, long addr) {
        Map.Entry<Long, int[]> e = dma.pinned.floorEntry(addr);
        return e != null && Long.compareUnsigned(addr - e.getKey(), UserMemory.PAGE_SIZE) < 0;
    }

    @Override
    public String describe() {
        return "type1-pinned:" + iommu.name;
    }
}
