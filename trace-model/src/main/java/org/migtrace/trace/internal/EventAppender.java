package org.migtrace.trace.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;
import org.migtrace.trace.ColumnType;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventKind;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.MigrationOp;

/**
 * The events table's row builder. Values are staged in two arrays indexed by column ordinal and a
 * bit mask of the columns set; {@link #commit()} checks the contract (non-null columns present,
 * {@code seq} strictly increasing, {@code ts_ns} non-decreasing) before a single value is staged,
 * so a refused row leaves nothing behind; committed rows are staged in the table writer's
 * row-masked arrays and reach the Arrow vectors a batch at a time. Nothing is allocated per row except the
 * UTF-8 bytes of the args JSON and of other long strings.
 */
public final class EventAppender implements EventRow {

    private static final EventColumn[] COLUMNS = EventColumn.values();
    private static final int SEQ = EventColumn.SEQ.ordinal();
    private static final int TS = EventColumn.TS_NS.ordinal();
    private static final int KIND = EventColumn.KIND.ordinal();
    private static final int OP = EventColumn.OP.ordinal();
    private static final long SEQ_BIT = 1L << SEQ;
    /** Columns whose text differs from row to row ({@code args}): encoded each time, never cached. */
    private static final long UNCACHED = 1L << EventColumn.ARGS.ordinal();
    /** The non-null columns a producer must set ({@code seq} is assigned when not set). */
    private static final long REQUIRED = requiredMask();
    private static final String MIGRATION = EventKind.MIGRATION.label();
    private static final String ITERATION = MigrationOp.ITERATION.name();

    private final long[] longs = new long[COLUMNS.length];
    private final String[] strings = new String[COLUMNS.length];
    private long mask;

    private final TableFileWriter table;
    private final ReferenceTracker refs;
    private final Utf8Cache utf8 = new Utf8Cache();
    private long lastSeq = -1;
    private long lastTs = Long.MIN_VALUE;
    private long firstTs;
    private boolean closed;

    public EventAppender(TableFileWriter table, ReferenceTracker refs) {
        this.table = table;
        this.refs = refs;
    }

    private static long requiredMask() {
        if (COLUMNS.length > Long.SIZE) {
            throw new AssertionError("the row mask holds at most 64 columns");
        }
        long m = 0;
        for (EventColumn c : COLUMNS) {
            if (!c.nullable() && c != EventColumn.SEQ) {
                m |= 1L << c.ordinal();
            }
        }
        return m;
    }

    @Override
    public EventRow set(EventColumn column, long value) {
        int i = column.ordinal();
        if (column.type() == ColumnType.UTF8) {
            throw new IllegalArgumentException("column " + column.column() + " is utf8; set it with a String");
        }
        if (column.type() == ColumnType.INT32 && (int) value != value) {
            throw new IllegalArgumentException("column " + column.column() + " is int32; " + value + " does not fit");
        }
        longs[i] = value;
        mask |= 1L << i;
        return this;
    }

    @Override
    public EventRow set(EventColumn column, String value) {
        int i = column.ordinal();
        if (column.type() != ColumnType.UTF8) {
            throw new IllegalArgumentException("column " + column.column() + " is " + Schemas.typeName(column.type())
                    + "; set it with a long");
        }
        strings[i] = value;
        if (value == null) {
            mask &= ~(1L << i);
        } else {
            mask |= 1L << i;
        }
        return this;
    }

    @Override
    public long commit() {
        try {
            if (closed) {
                throw new IllegalStateException("the trace writer is closed");
            }
            long seq = checkedSeq();
            append(seq);
            return seq;
        } finally {
            clear();
        }
    }

    private long checkedSeq() {
        if ((mask & REQUIRED) != REQUIRED) {
            StringJoiner missing = new StringJoiner(", ");
            for (EventColumn c : COLUMNS) {
                if ((REQUIRED & ~mask & (1L << c.ordinal())) != 0) {
                    missing.add(c.column());
                }
            }
            throw new IllegalStateException("event row lacks non-null column(s) " + missing);
        }
        long seq = (mask & SEQ_BIT) != 0 ? longs[SEQ] : lastSeq + 1;
        if (seq < 0 || seq <= lastSeq) {
            throw new IllegalStateException("seq " + seq + " does not follow the previous event's seq " + lastSeq
                    + " (seq increases strictly, from 0 or more)");
        }
        if (longs[TS] < lastTs) {
            throw new IllegalStateException("ts_ns " + longs[TS] + " of seq " + seq + " is before the previous event's "
                    + lastTs + " (ts_ns never decreases)");
        }
        return seq;
    }

    private void append(long seq) {
        int r = table.row();
        longs[SEQ] = seq;
        long m = mask | SEQ_BIT;
        table.rowMasks()[r] = m;
        while (m != 0) {
            int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (COLUMNS[i].type() == ColumnType.UTF8) {
                table.maskedUtf8(i)[r] = (UNCACHED & 1L << i) != 0
                        ? strings[i].getBytes(StandardCharsets.UTF_8) : utf8.bytes(strings[i]);
            } else {
                table.maskedLongs(i)[r] = longs[i];
            }
        }
        refs.event(seq, MIGRATION.equals(strings[KIND]) && ITERATION.equals(strings[OP]));
        if (lastSeq < 0) {
            firstTs = longs[TS];
        }
        lastSeq = seq;
        lastTs = longs[TS];
        try {
            table.rowDone();
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + table.file(), e);
        }
    }

    private void clear() {
        long m = mask;
        while (m != 0) {
            int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            strings[i] = null;
        }
        mask = 0;
    }

    /** Refuses further commits. */
    public void close() {
        closed = true;
    }

    /** Whether any event was appended. */
    public boolean any() {
        return lastSeq >= 0;
    }

    public long firstTs() {
        return firstTs;
    }

    public long lastTs() {
        return lastTs;
    }
}
