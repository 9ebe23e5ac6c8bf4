package org.migtrace.trace.internal;

import java.util.ArrayDeque;

/**
 * The references between tables as rows are appended: a dirty run names an event already appended,
 * and dirty runs come in {@code event_seq} order; an iterations row names an already appended event
 * of kind {@code migration} and op {@code ITERATION}, at most one row per event, in {@code seq}
 * order. Both orders let readers check references in one merged pass with no lookup table.
 *
 * <p>Memory: the appended seqs are kept as ranges of consecutive numbers, and only those at or
 * after the latest dirty run's event; producers that number events consecutively (as the writer
 * does when they leave {@code seq} unset) keep one range. ITERATION events are kept until their
 * row arrives or a later one does.
 */
public final class ReferenceTracker {

    private final ArrayDeque<long[]> ranges = new ArrayDeque<>();
    private final ArrayDeque<Long> iterationEvents = new ArrayDeque<>();
    private long lastRunEvent = Long.MIN_VALUE;
    private long lastIteration = Long.MIN_VALUE;

    /** Notes an appended event. */
    public void event(long seq, boolean iteration) {
        long[] last = ranges.peekLast();
        if (last != null && last[1] + 1 == seq) {
            last[1] = seq;
        } else {
            ranges.addLast(new long[] {seq, seq});
        }
        if (iteration) {
            iterationEvents.addLast(seq);
        }
    }

    /** Checks a dirty run's event; returns what is wrong, or null (and then notes the reference). */
    public String dirtyRun(long eventSeq) {
        if (eventSeq < lastRunEvent) {
            return "dirty runs must come in event_seq order: event_seq " + eventSeq + " after " + lastRunEvent;
        }
        while (!ranges.isEmpty() && ranges.peekFirst()[1] < eventSeq) {
            ranges.removeFirst();
        }
        long[] first = ranges.peekFirst();
        if (first == null || first[0] > eventSeq) {
            return "event_seq " + eventSeq + " is not the seq of an event appended before it";
        }
        lastRunEvent = eventSeq;
        return null;
    }

    /** Checks an iterations row's seq; returns what is wrong, or null (and then notes the reference). */
    public String iteration(long seq) {
        if (seq <= lastIteration) {
            return "iterations rows must come in seq order, one per ITERATION event: seq " + seq + " after "
                    + lastIteration;
        }
        while (!iterationEvents.isEmpty() && iterationEvents.peekFirst() < seq) {
            iterationEvents.removeFirst();
        }
        Long first = iterationEvents.peekFirst();
        if (first == null || first != seq) {
            return "seq " + seq + " is not the seq of an event of kind migration, op ITERATION appended before it";
        }
        iterationEvents.removeFirst();
        lastIteration = seq;
        return null;
    }
}
