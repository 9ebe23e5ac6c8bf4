package org.migtrace.trace;

/**
 * The columns of the {@code iterations} table: what the migration driver found and decided at each
 * dirty-bitmap sync (QEMU's {@code migration_bitmap_sync} plus the numbers its trace points
 * {@code migrate_transferred} and {@code migrate_pending_exact} carry).
 */
public enum IterationColumn implements Column {
    SEQ(Column.notNull(ColumnType.INT64, "", "seq of the migration event (op ITERATION) this row details; rows come in seq order, one per event at most")),
    TS_NS(Column.notNull(ColumnType.INT64, "ns", "timestamp of the sync")),
    HOST(Column.nullable(ColumnType.UTF8, "", "the migrating (source) host")),
    ITERATION(Column.notNull(ColumnType.INT32, "", "the sync number: 0 at setup, then 1, 2, ... (QEMU dirty-sync-count - 1)")),
    TIME_NS(Column.notNull(ColumnType.INT64, "ns", "time since the migration started")),
    DURATION_NS(Column.notNull(ColumnType.INT64, "ns", "time since the previous sync")),
    DIRTY_PAGES_CPU(Column.notNull(ColumnType.INT64, "pages", "pages the CPU dirty log (KVM) reported at this sync")),
    DIRTY_PAGES_DEVICE(Column.notNull(ColumnType.INT64, "pages", "pages the VFIO dirty report (device log, type1 or IOMMUFD bitmap) reported")),
    NEW_DIRTY_PAGES(Column.notNull(ColumnType.INT64, "pages", "pages newly set in the migration bitmap (not already pending)")),
    BYTES_SENT(Column.notNull(ColumnType.INT64, "bytes", "bytes put on the wire since the previous sync, RAM and device state")),
    DEVICE_BYTES_SENT(Column.notNull(ColumnType.INT64, "bytes", "of BYTES_SENT, device state read from data fds")),
    BANDWIDTH(Column.notNull(ColumnType.INT64, "bytes/s", "measured bandwidth of the last complete rate-limit window")),
    PENDING_BYTES(Column.notNull(ColumnType.INT64, "bytes", "exact pending after the sync: dirty RAM plus devices' stop-copy and pre-copy sizes")),
    DEVICE_PENDING_BYTES(Column.notNull(ColumnType.INT64, "bytes", "of PENDING_BYTES, what the devices report")),
    THRESHOLD_BYTES(Column.notNull(ColumnType.INT64, "bytes", "bandwidth x downtime limit: the switchover threshold")),
    DECISION(Column.notNull(ColumnType.UTF8, "", "setup, iterate, switchover, cancel"));

    private final Spec spec;

    IterationColumn(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
