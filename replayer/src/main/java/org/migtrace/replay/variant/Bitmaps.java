package org.migtrace.replay.variant;

import org.migtrace.trace.RecordedEvent;

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
        return "VFIO_IOMMU_DIRTY_PAGES".equals(op) && e.flags() != null && (e.flags() & 4) != 0;
    }

    /** The tracker and range a read reports: host, object, IOVA and length. */
    static String key(RecordedEvent e) {
        return e.host() + "/" + e.object() + "/" + e.iova() + "/" + e.length();
    }
}
