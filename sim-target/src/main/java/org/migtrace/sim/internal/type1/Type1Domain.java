package org.migtrace.sim.internal.type1;

import org.migtrace.sim.internal.vfio.IommuDomain;
import org.migtrace.sim.internal.vfio.VfioDevice;

/**
 * An IOMMU domain of a type1 container: device DMA is translated through the container's mappings
 * to the owner's virtual addresses and recorded in its write log. Type1 domains keep no hardware
 * dirty bits; what the container reports dirty never depends on these writes.
 */
final class Type1Domain implements IommuDomain {
    private final Type1Iommu iommu;

    Type1Domain(Type1Iommu iommu) {
        this.iommu = iommu;
    }

    @Override
    public long dmaWrite(VfioDevice device, long iova, long length) {
        long dropped = 0;
        long cur = iova;
        long rem = length;
        while (rem > 0) {
            Dma dma = iommu.dmas.at(cur);
            if (dma == null || !dma.iommuMapped) {
                Dma next = dma != null ? iommu.dmas.next(dma) : iommu.dmas.after(cur);
                long n = next == null ? rem : umin(rem, next.iova - cur);
                dropped += n; // no IOPTE: the IOMMU faults the access
                cur += n;
                rem -= n;
                continue;
            }
            long n = umin(rem, dma.last() - cur + 1);
            if ((dma.prot & Dma.IOMMU_WRITE) == 0) {
                dropped += n; // read-only IOPTE
            } else {
                dma.owner.memory().noteWrite(dma.vaddr + (cur - dma.iova), n);
            }
            cur += n;
            rem -= n;
        }
        return dropped;
    }

    /** {@code min} of unsigned values ({@code rem} is positive; an end at 2^64 reads as 0 = no limit). */
    private static long umin(long rem, long avail) {
        return avail == 0 || Long.compareUnsigned(rem, avail) <= 0 ? rem : avail;
    }

    @Override
    public String describe() {
        return "type1:" + iommu.name;
    }
}
