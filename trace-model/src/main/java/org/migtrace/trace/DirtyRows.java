package org.migtrace.trace;

/**
 * Turns the set bits of a dirty bitmap into {@code dirty_runs} rows by the format's one rule, so
 * that the same bitmap gives the same rows whoever records it (the simulator's recorder, the
 * bpftrace import): a 64-bit word whose set bits form one run (or all 64) extends or starts a run,
 * and runs touching across words merge; a word with two or more runs of set bits is one word row
 * ({@link TraceSink#dirtyWord}), and closes the run before it. Scattered dirt costs a row per 64
 * pages, contiguous dirt a row per run, whatever the bitmap's size.
 *
 * <p>Feed the words of one event's bitmap in increasing page order between {@link #begin} and
 * {@link #end}; all-zero words may be skipped. Not thread-safe: one instance per producer.
 */
public final class DirtyRows {
    private final TraceSink sink;
    private final RunJoiner runs;
    private long eventSeq;
    private DirtySource source;
    private long pageSize;

    public DirtyRows(TraceSink sink) {
        this.sink = sink;
        this.runs = new RunJoiner((first, count) -> sink.dirtyRun(eventSeq, source, pageSize, first, count));
    }

    /** How many runs of set bits {@code bits} has (0 for 0, 1 for -1). */
    public static int runsIn(long bits) {
        return Long.bitCount(bits & ~(bits << 1));
    }

    /** Starts the rows of event {@code eventSeq}'s bitmap of {@code pageSize}-byte pages. */
    public void begin(long eventSeq, DirtySource source, long pageSize) {
        this.eventSeq = eventSeq;
        this.source = source;
        this.pageSize = pageSize;
    }

    /** The word whose bit 0 is page {@code firstPage}. */
    public void word(long firstPage, long bits) {
        if (bits == 0) {
            return;
        }
        if (bits == -1L) {
            runs.add(firstPage, firstPage + 64);
            return;
        }
        long low = bits & -bits;
        if ((bits & (bits + low)) == 0) { // one run: adding its lowest bit carries through it
            runs.add(firstPage + Long.numberOfTrailingZeros(bits), firstPage + 64 - Long.numberOfLeadingZeros(bits));
            return;
        }
        runs.close();
        sink.dirtyWord(eventSeq, source, pageSize, firstPage, bits);
    }

    /** Ends the event's bitmap: the open run is written. */
    public void end() {
        runs.close();
    }
}
