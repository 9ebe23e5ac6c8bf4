package org.migtrace.robustness;

import java.util.Map;
import org.migtrace.recorder.ContractSink;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationRow;

/**
 * A sink that keeps nothing and holds the producer to the trace writer's contract (recorder's
 * {@link ContractSink}): what the fuzz targets import into, a thousand times faster than a trace
 * directory. {@link CorpusToTraceTest} takes every committed input through the real writer.
 */
final class CheckingSink extends ContractSink {

    /**
     * @param pagesArePowersOfTwo the recorder's importers promise it (their pages are IOMMU or MMU pages);
     *                            the trace format, and so {@code import jsonl}, takes any page size of at least 1
     */
    CheckingSink(boolean pagesArePowersOfTwo) {
        super(pagesArePowersOfTwo);
    }

    @Override
    protected void row(long seq, Map<EventColumn, Object> values) {
        // checked by ContractSink; nothing kept
    }

    @Override
    protected void run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits) {
        // checked by ContractSink; nothing kept
    }

    @Override
    protected void iterationRow(IterationRow row) {
        // checked by ContractSink; nothing kept
    }
}
