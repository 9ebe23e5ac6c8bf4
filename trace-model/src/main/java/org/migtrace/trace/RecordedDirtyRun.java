package org.migtrace.trace;

import java.util.Optional;

/**
 * One row of the {@code dirty_runs} table as read back: {@code pageCount} pages from
 * {@code firstPage}, of {@code pageSize} bytes, that event {@code eventSeq} reported or wrote.
 */
public record RecordedDirtyRun(long eventSeq, String source, long pageSize, long firstPage, long pageCount) {

    /** {@code source} as the vocabulary's constant, when it is one this reader knows. */
    public Optional<DirtySource> dirtySource() {
        return Labeled.byLabel(DirtySource.class, source);
    }

    /** The run's first byte address: {@code firstPage * pageSize} (IOVA or GPA, as a u64 bit pattern). */
    public long firstAddress() {
        return firstPage * pageSize;
    }

    /** The run's size in bytes. */
    public long bytes() {
        return pageCount * pageSize;
    }
}
