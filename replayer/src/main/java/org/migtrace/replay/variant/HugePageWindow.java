package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedEvent;

/**
 * Huge-page dirty bits lost past the bitmap iterator's window: the 6.x {@code iova_bitmap}
 * iterator pinned the user bitmap in fixed windows of 512 user pages (2 MiB of bitmap) counted from
 * the bitmap's start, and {@code iova_bitmap_set()} for an IOPTE whose bits ran past the pinned
 * window wrote only the bits inside it. A 2 MiB IOPTE (512 bits) crosses such a window when the
 * user bitmap does not start on a page boundary; the pages past the boundary were never reported.
 * Fixed by Linux 2780025e01e2 ("iommufd/iova_bitmap: Handle recording beyond the mapped pages"),
 * which moves on to the next window and sets the rest; the reference models today's iterator,
 * which pins from each set's first bit.
 */
public final class HugePageWindow extends Variant {
    static final long PAGE = 4096;
    static final long WINDOW_BYTES = 512 * PAGE;
    static final long HUGE = 2L << 20;

    @Override
    public String name() {
        return "hugepage-window";
    }

    @Override
    public String description() {
        return "a huge IOPTE's dirty bits past the iova_bitmap window are lost (Linux 2780025e01e2)";
    }

    @Override
    public String bug() {
        return "Linux 2780025e01e2";
    }

    @Override
    protected Behaviour behaviour() {
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            RecordedEvent e = s.event();
            if (!Bitmaps.pagedRange(s, o) || o.bitmap().isEmpty()) {
                return o;
            }
            long addr = Bitmaps.userAddress(e);
            long offset = addr & (PAGE - 1);
            long base = e.iova() / e.pageSize();
            long pages = e.length() / e.pageSize();
            long huge = HUGE / e.pageSize();
            PageRuns lost = PageRuns.EMPTY;
            for (long bytes = WINDOW_BYTES - offset; bytes * 8 < pages; bytes += WINDOW_BYTES) {
                long boundary = base + bytes * 8;
                long hugeEnd = (boundary / huge + 1) * huge;
                if (boundary % huge != 0 && o.bitmap().contains(boundary - 1) && o.bitmap().contains(boundary)) {
                    lost = lost.union(o.bitmap().within(boundary, hugeEnd));
                }
            }
            return lost.isEmpty() ? o : o.withBitmap(o.bitmap().minus(lost));
        };
    }
}
