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
 * {@link #end}; all-zero words may be skipped. Rows reach the sink in blocks
 * ({@link TraceSink#dirtyRows}), the last at {@link #end}. Not thread-safe: one instance per producer.
 */
public final class DirtyRows {
    private static final int BLOCK = 1024;

    private final TraceSink sink;
    private final RunJoiner runs;
    private final long[] firstPages = new long[BLOCK];
    private final long[] pageCounts = new long[BLOCK];
    private final long[] bitsOf = new long[BLOCK];
    private int held;
    private long eventSeq;
    private DirtySource source;
    private long pageSize;

    public DirtyRows(TraceSink sink) {
        this.sink = sink;
        this.runs = new RunJoiner((first, count) -> hold(first, count, 0));
    }

    /** How many runs of set bits {@code bits} has (0 for 0, 1 for -1). */
    public static int runsIn(long bits) {
        return Long.bitCount(bits & ~(bits << 1));
    }

    /** Starts the rows of event {@code eventSeq}'s bitmap of {@code pageSize}-byte pages. */
    public void begin(long eventSeq, DirtySource source, long pageSize) {
        end(); // the rows of an event not ended stay that event's
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
        hold(firstPage, Long.bitCount(bits), bits);
    }

    /** Ends the event's bitmap: the open run and every row held are written. */
    public void end() {
        runs.close();
        handOver();
    }

    private void hold(long firstPage, long pageCount, long bits) {
        if (held == BLOCK) {
            handOver();
        }
        firstPages[held] = firstPage;
        pageCounts[held] = pageCount;
        bitsOf[held] = bits;
        held++;
    }

    private void handOver() {
        if (held > 0) {
            int n = held;
            held = 0;
            sink.dirtyRows(eventSeq, source, pageSize, firstPages, pageCounts, bitsOf, n);
        }
    }
}
