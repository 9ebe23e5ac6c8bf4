package org.migtrace.recorder.importer.bpftrace.internal;

import java.util.ArrayDeque;
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
 *
 * <p>Most lines come in order; those wait in a queue (no comparisons beyond one with its tail), the
 * few that come late in a heap, and the earlier of the two heads is released first.
 */
public final class ReorderBuffer {
    private static final Comparator<Pending> ORDER = (a, b) -> a.tsNs() != b.tsNs()
            ? Long.compare(a.tsNs(), b.tsNs()) : Long.compare(a.arrival(), b.arrival());

    /** Lines that came in order: sorted, as they came. */
    private final ArrayDeque<Pending> inOrder = new ArrayDeque<>();
    /** Lines that came earlier than the last in-order one. */
    private final PriorityQueue<Pending> late = new PriorityQueue<>(ORDER);
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
        Pending last = inOrder.peekLast();
        if (last == null || ORDER.compare(last, p) <= 0) {
            inOrder.addLast(p);
        } else {
            late.add(p);
        }
        while (size() > maxHeld) {
            out.accept(pollEarliest());
        }
    }

    /** The capture's clock moved to {@code ns} (an exit time, a tick): releases lines older than the window. */
    public void advance(long ns) {
        if (ns > clock) {
            clock = ns;
        }
        long limit = clock - windowNs;
        Pending first;
        while ((first = earliest()) != null && first.tsNs() < limit) {
            out.accept(pollEarliest());
        }
    }

    /** How many lines are held. */
    public int size() {
        return inOrder.size() + late.size();
    }

    /** Releases everything (the end of the input). */
    public void drain() {
        while (size() > 0) {
            out.accept(pollEarliest());
        }
    }

    /** The earliest line held, or null. */
    private Pending earliest() {
        Pending a = inOrder.peekFirst();
        Pending b = late.peek();
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return ORDER.compare(a, b) <= 0 ? a : b;
    }

    private Pending pollEarliest() {
        Pending a = inOrder.peekFirst();
        Pending b = late.peek();
        return b == null || (a != null && ORDER.compare(a, b) <= 0) ? inOrder.pollFirst() : late.poll();
    }
}
