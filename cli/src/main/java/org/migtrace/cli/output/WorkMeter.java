package org.migtrace.cli.output;

import org.migtrace.trace.WorkProgress;

/**
 * The last progress a command reported, for the {@link ProgressLine} to draw: two volatile writes per
 * report on the working thread, no lock; the line reads them when it redraws (every 250 ms). A report
 * read half-way (the units of one, the total of the next) only draws a bar a hair off for 250 ms.
 */
public final class WorkMeter implements WorkProgress {

    private volatile long units;
    private volatile long total;

    @Override
    public void done(long units, long total) {
        this.total = total;
        this.units = units;
    }

    /** The fraction done, 0..1, or a negative number while nothing with a total was reported. */
    public double fraction() {
        long t = total;
        long u = units;
        if (t <= 0) {
            return -1;
        }
        return Math.min(1, Math.max(0, (double) u / t));
    }
}
