package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;

/**
 * {@code VFIO_IOMMU_UNMAP_DMA} with {@code VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP} drops the range's
 * dirty bits instead of returning them: the mapping's bitmap is freed before it is copied out, so
 * the bitmap comes back empty and the pages written since the last read are lost to the migration.
 * type1 ({@code vfio_iommu_type1.c: vfio_dma_do_unmap}) copies the bitmap of each unmapped
 * {@code vfio_dma} to the user ({@code update_user_bitmap}) before removing it.
 */
public final class UnmapDropsDirty extends Variant {
    @Override
    public String name() {
        return "unmap-drops-dirty";
    }

    @Override
    public String description() {
        return "UNMAP_DMA with GET_DIRTY_BITMAP returns no dirty bits (type1 copies them out before unmapping)";
    }

    @Override
    public String bug() {
        return "vfio_iommu_type1.c vfio_dma_do_unmap: bitmap copied out before the unmap";
    }

    @Override
    protected Behaviour behaviour() {
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            if (s.isSyscall() && "VFIO_IOMMU_UNMAP_DMA".equals(s.event().op()) && o.bitmap() != null) {
                return o.withBitmap(PageRuns.EMPTY);
            }
            return o;
        };
    }
}
