package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimClock;
import org.migtrace.sim.guest.Guest;
import org.migtrace.sim.guest.Workload;

/**
 * Keeps the source guest's writers up with the virtual clock. Whatever moves the clock (sending,
 * syscalls, waiting for the next rate-limit window) is followed by {@link #catchUp()}, which steps
 * every workload over the elapsed time in slices of at most {@link #STEP_NS}, so that guest writes
 * and migration sends interleave at that granularity, deterministically. While the VM is stopped
 * the vCPUs write nothing; device DMA is left to the devices, which stop it themselves when they
 * leave their running states.
 */
final class GuestTime {
    /** The longest slice of guest activity between two looks at the migration: 10 ms. */
    static final long STEP_NS = 10_000_000L;

    private final SimClock clock;
    private final Guest guest;
    private long doneTo;
    private boolean vmRunning = true;

    GuestTime(SimClock clock, Guest guest) {
        this.clock = clock;
        this.guest = guest;
        this.doneTo = clock.nanos();
    }

    boolean vmRunning() {
        return vmRunning;
    }

    /** Catches up, then stops or resumes the vCPUs from now on. */
    void setVmRunning(boolean running) {
        catchUp();
        vmRunning = running;
    }

    /** Steps the workloads from where they are to the clock. */
    void catchUp() {
        long now = clock.nanos();
        while (doneTo < now) {
            long to = Math.min(now, doneTo + STEP_NS);
            for (Workload w : guest.workloads()) {
                if (vmRunning || w != guest.cpuWorkload()) {
                    w.advance(doneTo, to);
                }
            }
            doneTo = to;
        }
    }
}
