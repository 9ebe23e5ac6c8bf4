package org.migtrace.trace;

import java.util.Optional;

/**
 * One row of the {@code dirty_runs} table as read back, pages of {@code pageSize} bytes that event
 * {@code eventSeq} reported or wrote: a run ({@code bits} 0, null in the file) of {@code pageCount}
 * pages from {@code firstPage}, or a word: the {@code pageCount} set bits of {@code bits}, bit i
 * being page {@code firstPage + i}.
 */
public record RecordedDirtyRun(long eventSeq, String source, long pageSize, long firstPage, long pageCount, long bits) {

    /** A run. */
    public RecordedDirtyRun(long eventSeq, String source, long pageSize, long firstPage, long pageCount) {
        this(eventSeq, source, pageSize, firstPage, pageCount, 0);
    }

    /** Whether the row is a 64-page word ({@code bits} set) rather than a run. */
    public boolean isWord() {
        return bits != 0;
    }

    /** The page past the last one the row covers: the run's end, or the word's last set bit + 1. */
    public long endPage() {
        return isWord() ? firstPage + 64 - Long.numberOfLeadingZeros(bits) : firstPage + pageCount;
    }

    /** {@code source} as the vocabulary's constant, when it is one this reader knows. */
    public Optional<DirtySource> dirtySource() {
        return Labeled.byLabel(DirtySource.class, source);
    }

    /** The run's first byte address: {@code firstPage * pageSize} (IOVA or GPA, as a u64 bit pattern). */
    public long firstAddress() {
        return firstPage * pageSize;
    }

    /** The dirty pages' size in bytes. */
    public long bytes() {
        return pageCount * pageSize;
    }
}
