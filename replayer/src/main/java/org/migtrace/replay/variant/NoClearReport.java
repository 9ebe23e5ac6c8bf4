package org.migtrace.replay.variant;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;

/**
 * A dirty-bitmap read that does not clear what it reported: {@code VFIO_IOMMU_DIRTY_PAGES}
 * GET_BITMAP, {@code DMA_LOGGING_REPORT} and {@code IOMMU_HWPT_GET_DIRTY_BITMAP} return the pages
 * dirtied since tracking started instead of since the last read, so every pass resends pages that
 * did not change. Reported as libvfio-user #526 (the device's dirty log was read without being
 * reset); the uAPI says a read reports and clears ({@code vfio.h}: "the dirty bitmap ... is
 * cleared"), which the fix restores.
 */
public final class NoClearReport extends Variant {
    @Override
    public String name() {
        return "no-clear-report";
    }

    @Override
    public String description() {
        return "GET_BITMAP / DMA_LOGGING_REPORT / HWPT GET_DIRTY_BITMAP report without clearing (libvfio-user #526)";
    }

    @Override
    public String bug() {
        return "libvfio-user #526";
    }

    @Override
    protected Behaviour behaviour() {
        Map<String, PageRuns> since = new TreeMap<>();
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            if (!s.isSyscall() || o.bitmap() == null || !Bitmaps.isRead(s.event()) || o.ret() == null || o.ret() < 0) {
                return o;
            }
            PageRuns all = since.getOrDefault(Bitmaps.key(s.event()), PageRuns.EMPTY).union(o.bitmap());
            since.put(Bitmaps.key(s.event()), all);
            return o.withBitmap(all);
        };
    }
}
