package org.migtrace.replay.variant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedEvent;

/**
 * Writes through DMA mappings made before dirty tracking started are never reported: the tracker
 * only learns of mappings added while it runs, so a VMM that maps guest RAM first and starts
 * tracking at migration time (what QEMU does) gets empty bitmaps for all of RAM. Reported as
 * libvfio-user #540 (DMA regions added before logging was enabled had no dirty bitmap); the fix
 * allocates the bitmaps of every existing region when logging starts.
 */
public final class PreTrackingMappings extends Variant {
    @Override
    public String name() {
        return "pre-tracking-mappings";
    }

    @Override
    public String description() {
        return "writes through mappings made before tracking started are never reported (libvfio-user #540)";
    }

    @Override
    public String bug() {
        return "libvfio-user #540";
    }

    @Override
    protected Behaviour behaviour() {
        Map<String, List<long[]>> mappedBefore = new TreeMap<>(); // host → IOVA ranges mapped while not tracking
        Map<String, Boolean> tracking = new TreeMap<>();
        return (s, ref) -> {
            Outcome o = ref.apply(s);
            if (!s.isSyscall() || o.ret() == null || o.ret() < 0) {
                return o;
            }
            RecordedEvent e = s.event();
            String host = String.valueOf(e.host());
            if (startsTracking(e)) {
                tracking.put(host, true);
            } else if (isMap(e) && !tracking.getOrDefault(host, false) && e.iova() != null && e.length() != null) {
                mappedBefore.computeIfAbsent(host, h -> new ArrayList<>()).add(new long[] {e.iova(), e.length()});
            }
            if (o.bitmap() == null || !Bitmaps.isRead(e) || e.pageSize() == null || e.pageSize() <= 0) {
                return o;
            }
            PageRuns bitmap = o.bitmap();
            for (long[] m : mappedBefore.getOrDefault(host, List.of())) {
                long first = m[0] / e.pageSize();
                bitmap = bitmap.minus(new PageRuns.Builder().add(first, m[1] / e.pageSize()).build());
            }
            return o.withBitmap(bitmap);
        };
    }

    private static boolean isMap(RecordedEvent e) {
        return "VFIO_IOMMU_MAP_DMA".equals(e.op()) || "IOMMU_IOAS_MAP".equals(e.op());
    }

    private static boolean startsTracking(RecordedEvent e) {
        long flags = e.flags() == null ? 0 : e.flags();
        return switch (e.op()) {
            case "VFIO_IOMMU_DIRTY_PAGES" -> (flags & 1) != 0;
            case "IOMMU_HWPT_SET_DIRTY_TRACKING" -> (flags & 1) != 0;
            case "VFIO_DEVICE_FEATURE" -> "DMA_LOGGING_START".equals(e.feature())
                    && e.featureOps() != null && e.featureOps().contains("SET");
            default -> false;
        };
    }
}
