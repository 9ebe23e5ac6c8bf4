package org.migtrace.sim;

/**
 * One pass of pre-copy as the source VMM saw it at a dirty-bitmap sync (QEMU's
 * {@code dirty-sync-count} steps by one per row): what the sync found, what was sent since the
 * previous one, and how the switchover test came out.
 *
 * @param iteration          0 for the sync of migration setup, then 1, 2, ... for each exact pending
 *                           query ({@code migration_bitmap_sync})
 * @param timeNs             virtual time of the sync, from the start of the migration
 * @param durationNs         time since the previous sync
 * @param dirtyPagesCpu      pages KVM's dirty log reported (vCPU writes)
 * @param dirtyPagesDevice   pages the VFIO dirty report marked (device DMA logging, the container's
 *                           bitmap, or every page when nothing tracks)
 * @param newDirtyPages      pages that became dirty in the migration bitmap at this sync (QEMU's
 *                           {@code num_dirty_pages_period} contribution)
 * @param bytesSent          bytes put on the wire since the previous sync (RAM and device data)
 * @param deviceBytesSent    the part of {@code bytesSent} that was device state
 * @param bandwidth          bytes per second measured over the last complete 100 ms window
 * @param pendingBytes       exact pending after the sync: RAM still dirty plus every device's
 *                           stop-copy and pre-copy sizes
 * @param devicePendingBytes the devices' part of {@code pendingBytes}
 * @param thresholdBytes     the switchover threshold in force: bandwidth × downtime limit
 * @param decision           what the migration thread did with it
 */
public record IterationStats(int iteration, long timeNs, long durationNs, long dirtyPagesCpu, long dirtyPagesDevice,
                             long newDirtyPages, long bytesSent, long deviceBytesSent, long bandwidth,
                             long pendingBytes, long devicePendingBytes, long thresholdBytes, Decision decision) {

    /** What followed a sync. */
    public enum Decision {
        /** The sync of migration setup; no test yet. */
        SETUP,
        /** Pending above the threshold: another pass. */
        ITERATE,
        /** Pending within the threshold: stop the VM and complete. */
        SWITCHOVER,
        /** The step limit was reached without switching over: the migration is cancelled. */
        CANCEL;

        /** {@code setup}, {@code iterate}, {@code switchover}, {@code cancel}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
