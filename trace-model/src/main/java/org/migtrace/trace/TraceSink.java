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
