package org.migtrace.trace;

/**
 * The columns of the {@code dirty_runs} table: the set bits of a returned dirty bitmap (or the
 * pages of a memory-write batch) as runs, never a row per page. Each run belongs to one event.
 */
public enum DirtyRunColumn implements Column {
    EVENT_SEQ(Column.notNull(ColumnType.INT64, "", "seq of the event that returned the bitmap or issued the writes; rows come in event_seq order")),
    SOURCE(Column.notNull(ColumnType.UTF8, "", "bitmap (a dirty report returned to the VMM), cpu_write, dma_write")),
    PAGE_SIZE(Column.notNull(ColumnType.INT64, "bytes", "the size of one page (one bit of the bitmap)")),
    FIRST_PAGE(Column.notNull(ColumnType.INT64, "pages", "first page of the run as an absolute page number: address / page_size (IOVA for bitmaps and DMA, GPA for CPU writes)")),
    PAGE_COUNT(Column.notNull(ColumnType.INT64, "pages", "number of consecutive pages in the run, at least 1"));

    private final Spec spec;

    DirtyRunColumn(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
