package org.migtrace.recorder.importer.bpftrace.internal;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Puts the capture's lines back into the order the calls were entered. The script writes a call's
 * line when the call returns, and bpftrace drains one buffer per CPU, so lines arrive in neither
 * entry nor exit order. Held here, sorted by entry time, a line is released once the capture has
 * moved on by {@code windowNs} past its entry (the latest exit time or tick seen is the capture's
 * clock): a call that entered earlier and has not shown up by then was in the kernel for longer
 * than the window, and is written late (its row stamped no earlier than the rows before it, the
 * true entry time kept in its args).
 *
 * <p>Memory is bounded: at most {@code maxHeld} lines wait; beyond that the earliest is released
 * at once.
 */
public final class ReorderBuffer {
    private static final Comparator<Pending> ORDER = Comparator.comparingLong(Pending::tsNs)
            .thenComparingLong(Pending::arrival);

    private final PriorityQueue<Pending> held = new PriorityQueue<>(ORDER);
    private final long windowNs;
    private final int maxHeld;
    private final Consumer<Pending> out;
    private long clock = Long.MIN_VALUE;

    public ReorderBuffer(long windowNs, int maxHeld, Consumer<Pending> out) {
        this.windowNs = windowNs;
        this.maxHeld = maxHeld;
        this.out = out;
    }

    /** Holds {@code p}; releases what the window or the bound lets go. */
    public void add(Pending p) {
        held.add(p);
        while (held.size() > maxHeld) {
            out.accept(held.poll());
        }
    }

    /** The capture's clock moved to {@code ns} (an exit time, a tick): releases lines older than the window. */
    public void advance(long ns) {
        if (ns > clock) {
            clock = ns;
        }
        long limit = clock - windowNs;
        while (!held.isEmpty() && held.peek().tsNs() < limit) {
            out.accept(held.poll());
        }
    }

    /** How many lines are held. */
    public int size() {
        return held.size();
    }

    /** Releases everything (the end of the input). */
    public void drain() {
        while (!held.isEmpty()) {
            out.accept(held.poll());
        }
    }
}
