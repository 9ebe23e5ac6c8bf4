package org.migtrace.trace;

import java.util.Locale;

/** What a dirty run describes. */
public enum DirtySource {
    /** Set bits of a dirty bitmap a syscall returned to the VMM (GET_BITMAP, DMA_LOGGING_REPORT, GET_DIRTY_BITMAP, unmap with bitmap). */
    BITMAP,
    /** Guest pages written by vCPUs (GPA pages). */
    CPU_WRITE,
    /** Pages written by a device's DMA (IOVA pages). */
    DMA_WRITE;

    /** {@code bitmap}, {@code cpu_write}, {@code dma_write}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
