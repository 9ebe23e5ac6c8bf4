package org.migtrace.recorder.importer.qemulog.internal;

/**
 * The pages each sync newly found dirty, from the counter {@code migration_bitmap_sync_end} prints.
 * QEMU's {@code migration/ram.c: migration_bitmap_sync} prints {@code num_dirty_pages_period}, the
 * new dirty pages since the current rate period began, and after printing it, when the sync ends
 * more than a second after the period began (the first sync's start begins the first), computes the
 * rates and resets the counter. So a sync's new pages are the counter minus what it was after the
 * previous sync, with the reset replayed from the log's timestamps; without timestamps only a
 * counter that went down shows that a reset happened.
 */
final class DirtyPeriod {
    private static final long SECOND_NS = 1_000_000_000L;

    private Long periodStartTs;
    private long counter;

    /** A sync started at {@code ts} ({@code stamped}: a time the log printed). */
    void syncStart(long ts, boolean stamped) {
        if (periodStartTs == null && stamped) {
            periodStartTs = ts;
        }
    }

    /** A sync ended at {@code ts} printing {@code printed}; returns the pages it newly found dirty. */
    long syncEnd(long printed, long ts, boolean stamped) {
        long fresh = printed >= counter ? printed - counter : printed;
        counter = printed;
        if (stamped) {
            if (periodStartTs == null) {
                periodStartTs = ts;
            } else if (ts > periodStartTs + SECOND_NS) {
                counter = 0;
                periodStartTs = ts;
            }
        }
        return fresh;
    }
}
