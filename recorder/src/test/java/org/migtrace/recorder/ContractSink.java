package org.migtrace.recorder;

import java.util.EnumMap;
import java.util.Map;
import org.migtrace.trace.ColumnType;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.TraceSink;

/**
 * A sink that enforces the producer contract of {@link TraceSink} and {@link EventRow} as the trace
 * writer will: {@code seq} strictly increasing (unset = previous + 1, from 0), {@code ts_ns} never
 * decreasing, every non-null column set, values of the column's type (INT32 in range), dirty runs
 * and iteration rows referring to events already appended, runs of at least one page, nothing after
 * close. Subclasses decide what to keep. Public for the robustness module's fuzz targets.
 */
public abstract class ContractSink implements TraceSink {
    private static final java.util.List<EventColumn> REQUIRED =
            java.util.Arrays.stream(EventColumn.values()).filter(c -> !c.nullable()).toList();
    private final Builder builder = new Builder();
    private long lastSeq = -1;
    private long lastTs = Long.MIN_VALUE;
    private long lastRunEvent = -1;
    private boolean closed;
    private long lostEvents;
    private final boolean pagesArePowersOfTwo;

    /** The recorder's contract: dirty pages of a power-of-two size (as every IOMMU and MMU page is). */
    protected ContractSink() {
        this(true);
    }

    /** {@code pagesArePowersOfTwo} false: the trace format's contract, where any page size of at least 1 goes. */
    protected ContractSink(boolean pagesArePowersOfTwo) {
        this.pagesArePowersOfTwo = pagesArePowersOfTwo;
    }

    /** A committed row (the map is the sink's to keep). */
    protected abstract void row(long seq, Map<EventColumn, Object> values);

    /** A dirty_runs row: a run ({@code bits} 0) or a word. */
    protected abstract void run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits);

    protected abstract void iterationRow(IterationRow row);

    long lastSeq() {
        return lastSeq;
    }

    @Override
    public EventRow event() {
        open();
        return builder;
    }

    @Override
    public void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount) {
        open();
        boolean ok = eventSeq >= 0 && eventSeq <= lastSeq && eventSeq >= lastRunEvent && source != null
                && pageSizeOk(pageSize) && firstPage >= 0 && pageCount >= 1;
        if (!ok) {
            throw new IllegalStateException("bad dirty run (" + eventSeq + ", " + source + ", " + pageSize + ", "
                    + firstPage + ", " + pageCount + "): last event " + lastSeq + ", last run's event " + lastRunEvent);
        }
        lastRunEvent = eventSeq;
        run(eventSeq, source, pageSize, firstPage, pageCount, 0);
    }

    private boolean pageSizeOk(long pageSize) {
        return pageSize > 0 && (!pagesArePowersOfTwo || Long.bitCount(pageSize) == 1);
    }

    @Override
    public void dirtyWord(long eventSeq, DirtySource source, long pageSize, long firstPage, long bits) {
        open();
        boolean ok = eventSeq >= 0 && eventSeq <= lastSeq && eventSeq >= lastRunEvent && source != null
                && pageSizeOk(pageSize) && firstPage >= 0
                && org.migtrace.trace.DirtyRows.runsIn(bits) >= 2;
        if (!ok) {
            throw new IllegalStateException("bad dirty word (" + eventSeq + ", " + source + ", " + pageSize + ", "
                    + firstPage + ", 0x" + Long.toHexString(bits) + "): last event " + lastSeq + ", last run's event "
                    + lastRunEvent);
        }
        lastRunEvent = eventSeq;
        run(eventSeq, source, pageSize, firstPage, Long.bitCount(bits), bits);
    }

    @Override
    public void iteration(IterationRow row) {
        open();
        require(row.seq() >= 0 && row.seq() <= lastSeq, "iteration row of event " + row.seq() + " not yet appended");
        require(row.host() != null && row.decision() != null, "iteration row with null non-null columns: " + row);
        iterationRow(row);
    }

    @Override
    public void addLostEvents(long count) {
        open();
        if (count < 0) {
            throw new IllegalStateException("lost event count " + count + " < 0");
        }
        lostEvents += count;
    }

    /** Events the producer said the capture lost (a simulated run loses none). */
    long lostEvents() {
        return lostEvents;
    }

    @Override
    public void flush() {
        open();
    }

    @Override
    public void close() {
        closed = true;
    }

    private void open() {
        require(!closed, "sink used after close");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private final class Builder implements EventRow {
        private Map<EventColumn, Object> values = new EnumMap<>(EventColumn.class);

        @Override
        public EventRow set(EventColumn column, long value) {
            if (column.type() == ColumnType.UTF8 || (column.type() == ColumnType.INT32 && value != (int) value)) {
                throw new IllegalStateException(column.column() + " (" + column.type() + ") set to the number " + value);
            }
            values.put(column, value);
            return this;
        }

        @Override
        public EventRow set(EventColumn column, String value) {
            if (column.type() != ColumnType.UTF8) {
                throw new IllegalStateException(column.column() + " is " + column.type() + ", set with a string");
            }
            if (value == null) {
                values.remove(column);
            } else {
                values.put(column, value);
            }
            return this;
        }

        @Override
        public long commit() {
            long seq = values.containsKey(EventColumn.SEQ) ? (Long) values.get(EventColumn.SEQ) : lastSeq + 1;
            values.put(EventColumn.SEQ, seq);
            for (EventColumn c : REQUIRED) {
                if (!values.containsKey(c)) {
                    throw new IllegalStateException("row " + seq + " has no " + c.column() + ": " + values);
                }
            }
            long ts = (Long) values.get(EventColumn.TS_NS);
            if (seq <= lastSeq || ts < lastTs) {
                throw new IllegalStateException("row " + seq + " at " + ts + " ns after row " + lastSeq + " at " + lastTs
                        + " ns: " + values);
            }
            lastSeq = seq;
            lastTs = ts;
            Map<EventColumn, Object> done = values;
            values = new EnumMap<>(EventColumn.class);
            row(seq, done);
            return seq;
        }
    }
}
