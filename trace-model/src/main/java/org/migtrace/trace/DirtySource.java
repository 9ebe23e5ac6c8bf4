package org.migtrace.trace;

/** What a dirty run describes: the {@code source} column of {@code dirty_runs}. */
public enum DirtySource implements Labeled {
    /** Set bits of a dirty bitmap a syscall returned to the VMM (GET_BITMAP, DMA_LOGGING_REPORT, GET_DIRTY_BITMAP, unmap with bitmap). */
    BITMAP,
    /** Guest pages written by vCPUs (GPA pages). */
    CPU_WRITE,
    /** Pages written by a device's DMA (IOVA pages). */
    DMA_WRITE
}
