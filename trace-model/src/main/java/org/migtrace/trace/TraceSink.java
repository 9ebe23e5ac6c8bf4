package org.migtrace.trace;

import java.io.IOException;

/**
 * Where captured events go: the Arrow trace writer, or anything else that takes rows (a test's
 * in-memory table). Rows are appended in {@code seq} order; dirty runs and iteration rows refer to
 * events already appended.
 */
public interface TraceSink extends AutoCloseable {
    /** The (reused) builder for the next events row. */
    EventRow event();

    /** Appends one dirty run of event {@code eventSeq}. */
    void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount);

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
