package org.migtrace.trace;

/**
 * Told how far a long job got: {@code units} done of {@code total} planned (bytes of an input read,
 * event rows replayed, steps of an analysis). Library code reports into it without knowing who
 * listens; the command line draws a progress bar from the last report. Implementations must be
 * cheap and must not block: reports come from the working thread, as often as the job likes (the
 * callers here report at most once per buffer, batch or step).
 */
@FunctionalInterface
public interface WorkProgress {

    /** Reports to no one. */
    WorkProgress NONE = (units, total) -> { };

    /**
     * @param units done so far, 0..total
     * @param total planned; a job that learns it is bigger reports a bigger total
     */
    void done(long units, long total);

    /**
     * This progress seen by one part of a bigger job: the part's {@code done(u, t)} moves the whole
     * from {@code from} to {@code to} (fractions of it, 0..1) as {@code u} goes from 0 to {@code t}.
     * How a command that runs several jobs in a row (load, then analyze) shows one bar.
     */
    default WorkProgress part(double from, double to) {
        if (!(0 <= from && from <= to && to <= 1)) {
            throw new IllegalArgumentException("part " + from + ".." + to + " is not within 0..1");
        }
        if (this == NONE) {
            return NONE;
        }
        return (units, total) -> {
            double f = total <= 0 ? 1 : Math.min(1, Math.max(0, (double) units / total));
            done(Math.round((from + (to - from) * f) * PART_SCALE), PART_SCALE);
        };
    }

    /** The units of a {@link #part}'s reports: the whole is this many. */
    long PART_SCALE = 1_000_000;
}
