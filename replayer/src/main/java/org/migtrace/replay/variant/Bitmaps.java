package org.migtrace.replay.variant;

import com.fasterxml.jackson.databind.JsonNode;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Structs;

/** Which recorded calls return a dirty bitmap, and the key of the range they report. */
final class Bitmaps {
    private Bitmaps() {
    }

    /** Whether {@code e} is a dirty-bitmap read: type1 GET_BITMAP, DMA_LOGGING_REPORT, IOMMUFD GET_DIRTY_BITMAP. */
    static boolean isRead(RecordedEvent e) {
        String op = e.op();
        if ("IOMMU_HWPT_GET_DIRTY_BITMAP".equals(op)) {
            return true;
        }
        if ("VFIO_DEVICE_FEATURE".equals(op)) {
            return "DMA_LOGGING_REPORT".equals(e.feature());
        }
        return "VFIO_IOMMU_DIRTY_PAGES".equals(op) && e.flags() != null
                && (e.flags() & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) != 0;
    }

    /** The tracker and range a read reports: host, object, IOVA and length. */
    static String key(RecordedEvent e) {
        return e.host() + "/" + e.object() + "/" + e.iova() + "/" + e.length();
    }

    /** Whether {@code s} is a syscall whose answer {@code o} holds a bitmap of a range of whole pages (iova, length, page size). */
    static boolean pagedRange(Stimulus s, Outcome o) {
        RecordedEvent e = s.event();
        return s.isSyscall() && o.bitmap() != null && e.iova() != null && e.length() != null
                && e.pageSize() != null && e.pageSize() > 0;
    }

    /** The user address of the bitmap that {@code iova_bitmap} writes: DMA_LOGGING_REPORT, IOMMU_HWPT_GET_DIRTY_BITMAP; else 0. */
    static long userAddress(RecordedEvent e) {
        JsonNode in = Args.in(e);
        if ("DMA_LOGGING_REPORT".equals(e.feature())) {
            return in.path("data").path("bitmap").asLong();
        }
        if ("IOMMU_HWPT_GET_DIRTY_BITMAP".equals(e.op())) {
            return in.path("data").asLong();
        }
        return 0;
    }
}
