package org.migtrace.trace;

/**
 * Joins runs of pages given in order of their first page: a run that starts within or right at the
 * end of the open one extends it; any other closes the open one (handed to the output) and opens
 * itself. {@link #close()} hands over the last. What {@link DirtyRows}, the recorder's plain-run
 * bitmap scans and its memory-write rows share.
 */
public final class RunJoiner {
    /** Takes the joined runs. */
    @FunctionalInterface
    public interface Out {
        void run(long firstPage, long pageCount);
    }

    private final Out out;
    private long start = -1;
    private long end;

    public RunJoiner(Out out) {
        this.out = out;
    }

    /** Pages {@code [start, end)}, starting at or after the start of every run given so far. */
    public void add(long start, long end) {
        if (this.start >= 0 && start >= this.start && start <= this.end) {
            this.end = Math.max(this.end, end);
            return;
        }
        close();
        this.start = start;
        this.end = end;
    }

    /** Hands over the open run, if any. */
    public void close() {
        if (start >= 0) {
            out.run(start, end - start);
            start = -1;
        }
    }
}
