package org.migtrace.recorder;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationRow;

/** A contract-checking sink that keeps only counts: rows by kind and op, runs by source, iteration rows. */
class CountingSink extends ContractSink {
    final Map<String, Long> rowsByOp = new TreeMap<>();
    final Map<DirtySource, Long> runsBySource = new TreeMap<>();
    long rows;
    long runs;
    long iterations;

    @Override
    protected void row(long seq, Map<EventColumn, Object> values) {
        rows++;
        rowsByOp.merge(values.get(EventColumn.KIND) + ":" + values.get(EventColumn.OP), 1L, Long::sum);
    }

    @Override
    protected void run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits) {
        runs++;
        runsBySource.merge(source, 1L, Long::sum);
    }

    @Override
    protected void iterationRow(IterationRow row) {
        iterations++;
    }

    /** Rows of {@code kind} (all ops). */
    long rowsOfKind(String kind) {
        return rowsByOp.entrySet().stream().filter(e -> e.getKey().startsWith(kind + ":")).mapToLong(Map.Entry::getValue).sum();
    }
}
