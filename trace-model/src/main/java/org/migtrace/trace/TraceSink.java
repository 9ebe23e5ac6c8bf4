package org.migtrace.trace;

import java.io.IOException;

/**
 * Where captured events go: the Arrow trace writer, or anything else that takes rows (a test's
 * in-memory table). Rows are appended in {@code seq} order; dirty runs and iteration rows refer to
 * events already appended. The order rules, which let readers join the tables in one pass:
 * dirty runs come in {@code event_seq} order (an event's runs right after it, typically), and each
 * iterations row comes after its event of kind {@code migration}, op {@code ITERATION}, in
 * {@code seq} order, one row per event at most. {@link TraceWriter} refuses rows that break them
 * with {@link IllegalStateException}.
 */
public interface TraceSink extends AutoCloseable {
    /** The (reused) builder for the next events row. */
    EventRow event();

    /** Appends one dirty run of event {@code eventSeq}. */
    void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount);

    /**
     * Appends one dirty word of event {@code eventSeq}: bit i of {@code bits} set means page
     * {@code firstPage + i} is dirty. Only for bits with two or more runs of set bits (fewer are a
     * run); {@link DirtyRows} turns a bitmap into runs and words by that rule.
     */
    void dirtyWord(long eventSeq, DirtySource source, long pageSize, long firstPage, long bits);

    /**
     * Appends {@code n} dirty rows of event {@code eventSeq} at once, in order: row i is a run when
     * {@code bits[i]} is 0 ({@code pageCount[i]} pages from {@code firstPage[i]}) and a word otherwise
     * ({@code pageCount[i]} its set bits), with the rules of {@link #dirtyRun} and {@link #dirtyWord}.
     * What {@link DirtyRows} hands on; a sink may take them faster than row by row.
     */
    default void dirtyRows(long eventSeq, DirtySource source, long pageSize, long[] firstPage, long[] pageCount, long[] bits,
                           int n) {
        for (int i = 0; i < n; i++) {
            if (bits[i] == 0) {
                dirtyRun(eventSeq, source, pageSize, firstPage[i], pageCount[i]);
            } else {
                dirtyWord(eventSeq, source, pageSize, firstPage[i], bits[i]);
            }
        }
    }

    /** Appends one iterations row. */
    void iteration(IterationRow row);

    /** Counts events the capture lost (bpftrace's lost_events); recorded in the manifest. */
    void addLostEvents(long count);

    /** Makes everything appended so far durable (complete batches on disk). */
    void flush() throws IOException;

    /** Finishes the trace: everything flushed, footers written, the manifest marked complete. */
    @Override
    void close() throws IOException;
}
