package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimClock;
import org.migtrace.sim.guest.GuestMemory;

/**
 * RAM's part of {@code qemu_savevm_state_iterate} and of the completion ({@code ram_save_iterate},
 * {@code ram_save_complete}): dirty pages from the cursor go on the link in slices of 10 ms of link
 * time, the guest catching up after each slice, so that its writes interleave with the sends.
 */
final class RamSender {
    /** {@code MAX_WAIT}: one {@code ram_save_iterate} call sends for at most 50 ms. */
    static final long MAX_WAIT_NS = 50_000_000L;

    private final RamState ram;
    private final Wire wire;
    private final GuestTime time;
    private final SimClock clock;
    private long bytes;

    RamSender(RamState ram, Wire wire, GuestTime time, SimClock clock) {
        this.ram = ram;
        this.wire = wire;
        this.time = time;
        this.clock = clock;
    }

    /** RAM bytes sent so far. */
    long bytes() {
        return bytes;
    }

    /** Pages in 10 ms of the link, at least one. */
    private long slicePages() {
        return Math.max(GuestMemory.PAGE_SIZE, wire.bandwidth() / 100) >>> GuestMemory.PAGE_SHIFT;
    }

    /** {@code ram_save_iterate}: until the window's budget is spent, nothing is dirty, or 50 ms passed. */
    void iterate() {
        long t0 = clock.nanos();
        while (!wire.exceeded()) {
            long budgetPages = Math.max(1, wire.remaining() >>> GuestMemory.PAGE_SHIFT);
            long pages = ram.send(Math.min(budgetPages, slicePages()));
            if (pages == 0) {
                return;
            }
            send(pages);
            if (clock.nanos() - t0 > MAX_WAIT_NS) {
                return;
            }
        }
    }

    /** Every dirty page, whatever the rate limit (the completion). */
    void sendAll() {
        long pages;
        while ((pages = ram.send(slicePages())) > 0) {
            send(pages);
        }
    }

    private void send(long pages) {
        long n = pages << GuestMemory.PAGE_SHIFT;
        bytes += n;
        wire.send(n);
        time.catchUp();
    }
}
