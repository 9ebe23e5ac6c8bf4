package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedEvent;

/**
 * A user bitmap that does not start on a page boundary loses the bits at its end: the iterator
 * pins as many user pages as the bitmap's length needs, not counting the offset of its start in
 * the first page, so the bytes that spill into one more page are never written and those IOVA pages
 * are never reported. The IOVA-bitmap bug fixed by Linux f38044e5ef58 (iova_bitmap counting the
 * first page's offset); it affects DMA_LOGGING_REPORT and IOMMU_HWPT_GET_DIRTY_BITMAP, which write
 * through {@code iova_bitmap}.
 */
public final class UnalignedUserBitmap extends Variant {
    static final long PAGE = 4096;

    @Override
    public String name() {
        return "unaligned-user-bitmap";
    }

    @Override
    public String description() {
        return "a user bitmap not starting on a page boundary loses its bits past the pinned pages (Linux f38044e5ef58)";
    }

    @Override
    public String bug() {
        return "Linux f38044e5ef58";
    }

    @Override
    protected Behaviour behaviour() {
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            RecordedEvent e = s.event();
            if (!Bitmaps.pagedRange(s, o)) {
                return o;
            }
            long addr = Bitmaps.userAddress(e);
            long offset = addr & (PAGE - 1);
            if (addr == 0 || offset == 0) {
                return o;
            }
            long bytes = ((e.length() / e.pageSize() + 63) / 64) * 8;
            long pinned = (bytes + PAGE - 1) / PAGE * PAGE; // pages for the length alone
            long kept = pinned - offset; // bytes of the bitmap inside the pinned pages
            if (kept >= bytes) {
                return o;
            }
            long firstLost = e.iova() / e.pageSize() + kept * 8;
            return o.withBitmap(o.bitmap().minus(new PageRuns.Builder().add(firstLost, Long.MAX_VALUE / 4).build()));
        };
    }
}
