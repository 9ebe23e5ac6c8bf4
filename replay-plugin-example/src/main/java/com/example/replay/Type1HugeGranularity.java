package com.example.replay;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.replay.spi.TargetContext;
import org.migtrace.trace.RecordedEvent;

/**
 * An example replay target of one's own: type1 with a patch that tracks dirt at 2 MiB granularity
 * (a dirty page marks its whole 2 MiB block, as a host that only tracks huge pages would). It wraps
 * the reference model ({@link TargetContext#reference()}) and changes what type1 returns from
 * {@code VFIO_IOMMU_DIRTY_PAGES} GET_BITMAP and from {@code VFIO_IOMMU_UNMAP_DMA} with a bitmap.
 *
 * <p>Replaying a trace against it answers "what would QEMU have been told, had the host run this
 * patch": every divergence is a call whose bitmap the patch would have changed, with the pages it
 * would have added.
 */
public final class Type1HugeGranularity implements ReplayTargetFactory {
    static final long BLOCK = 2L << 20;

    @Override
    public String name() {
        return "type1-2mib";
    }

    @Override
    public String description() {
        return "example plugin: type1 reporting dirty pages at 2 MiB granularity";
    }

    @Override
    public ReplayTarget create(TargetContext context) {
        ReplayTarget reference = context.reference();
        return new ReplayTarget() {
            @Override
            public Outcome apply(Stimulus stimulus) {
                Outcome o = reference.apply(stimulus);
                RecordedEvent e = stimulus.event();
                if (!stimulus.isSyscall() || o.bitmap() == null || !isType1Bitmap(e) || e.pageSize() == null
                        || e.iova() == null || e.length() == null) {
                    return o;
                }
                return o.withBitmap(widen(o.bitmap(), e.iova() / e.pageSize(), e.length() / e.pageSize(),
                        BLOCK / e.pageSize()));
            }

            @Override
            public void close() {
                reference.close();
            }
        };
    }

    private static boolean isType1Bitmap(RecordedEvent e) {
        return "VFIO_IOMMU_DIRTY_PAGES".equals(e.op()) || "VFIO_IOMMU_UNMAP_DMA".equals(e.op());
    }

    /** Every block of {@code block} pages with a dirty page becomes dirty, within {@code [first, first + count)}. */
    static PageRuns widen(PageRuns pages, long first, long count, long block) {
        PageRuns.Builder b = new PageRuns.Builder();
        for (int i = 0; i < pages.runCount(); i++) {
            long start = Math.max(first, pages.first(i) / block * block);
            long end = Math.min(first + count, (pages.first(i) + pages.count(i) + block - 1) / block * block);
            b.add(start, end - start);
        }
        return b.build();
    }
}
