package org.migtrace.sim;

/**
 * The virtual monotonic clock of a simulation, in nanoseconds. Nothing in sim-target reads the
 * wall clock: time moves only when the simulation advances it, so a scenario and a seed always give
 * the same run. The source and destination hosts of one migration share one clock.
 */
public final class SimClock {
    private long now;

    /** A clock at time zero. */
    public SimClock() {
    }

    /** The current time in nanoseconds. */
    public long nanos() {
        return now;
    }

    /** Moves time forward by {@code ns} (which must not be negative). */
    public void advance(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("time cannot go back: advance(" + ns + ")");
        }
        now = Math.addExact(now, ns);
    }

    /** Moves time forward to {@code t} if it is later than now; never backwards. */
    public void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }
}
