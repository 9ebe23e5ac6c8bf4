package org.migtrace.trace;

/**
 * The columns of the {@code dirty_runs} table: the set bits of a returned dirty bitmap (or the
 * pages of a memory-write batch) as runs, never a row per page, and where the bits are scattered
 * as 64-page words (format 2.0): a row is either a run ({@code bits} null) or a word. Each row
 * belongs to one event; {@code page_count} is the number of dirty pages in either shape.
 */
public enum DirtyRunColumn implements Column {
    EVENT_SEQ(Column.notNull(ColumnType.INT64, "", "seq of the event that returned the bitmap or issued the writes; rows come in event_seq order")),
    SOURCE(Column.notNull(ColumnType.UTF8, "", "bitmap (a dirty report returned to the VMM), cpu_write, dma_write")),
    PAGE_SIZE(Column.notNull(ColumnType.INT64, "bytes", "the size of one page (one bit of the bitmap)")),
    FIRST_PAGE(Column.notNull(ColumnType.INT64, "pages", "first page of the run (or of the word) as an absolute page number: address / page_size (IOVA for bitmaps and DMA, GPA for CPU writes)")),
    PAGE_COUNT(Column.notNull(ColumnType.INT64, "pages", "dirty pages in the row, at least 1: the run's length, or the set bits of bits")),
    BITS(Column.nullable(ColumnType.INT64, "", "null for a run; for a word, the 64 pages from first_page: bit i set means page first_page + i is dirty (two or more runs of set bits)"));

    private final Spec spec;

    DirtyRunColumn(Spec spec) {
        this.spec = spec;
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
