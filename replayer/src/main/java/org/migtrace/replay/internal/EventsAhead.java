package org.migtrace.replay.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.HandOff;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TableCursor;

/**
 * A trace's events, each with its dirty-runs rows, read on a thread of its own ahead of the replay
 * and handed over in order, in batches, through a bounded queue: reading the Arrow files overlaps
 * with driving the targets, and nothing is reordered. A failure to read (a bad or cut file) reaches
 * the replay at the event where it happened, after every event before it. Memory stays bounded
 * whatever the trace: besides the event being replayed and the one being read, at most
 * {@link #RUNS_AHEAD} dirty-runs rows (a bitmap event can bring hundreds of thousands) and
 * {@link #QUEUED_BATCHES} batches of events wait. {@link #close()} stops the reading thread and closes
 * the files; one consumer.
 */
public final class EventsAhead implements AutoCloseable {

    /** An event and the dirty-runs rows that refer to it (immutable; empty when none). */
    public record Item(RecordedEvent event, List<RecordedDirtyRun> runs) {
    }

    private static final int BATCH = 256;
    private static final int QUEUED_BATCHES = 8;
    /** Dirty-runs rows read ahead of the replay, at most (a single event with more goes alone). */
    private static final int RUNS_AHEAD = 1 << 14;
    private static final Object END = new Object();

    /** Events handed over at once, and the room in {@link #runsAhead} they took. */
    private record Batch(List<Item> items, int runs) {
    }

    private final HandOff<Object> queue = new HandOff<>(QUEUED_BATCHES);
    private final Semaphore runsAhead = new Semaphore(RUNS_AHEAD);
    private final Thread thread;
    private Batch batch = new Batch(List.of(), 0);
    private int at;
    private boolean ended;

    /** Opens the trace's events and dirty runs and starts reading them. */
    public EventsAhead(RecordedTrace trace) throws BadTraceException, IOException {
        TableCursor<RecordedEvent> events = trace.eventsSharingValues();
        TableCursor<RecordedDirtyRun> runs;
        try {
            runs = trace.dirtyRunsSharingValues();
        } catch (IOException | RuntimeException e) {
            events.close();
            throw e;
        }
        thread = new Thread(() -> read(events, runs), "migtrace-replay-reader");
        thread.setDaemon(true);
        thread.start();
    }

    private void read(TableCursor<RecordedEvent> events, TableCursor<RecordedDirtyRun> runs) {
        Object last = END;
        try (events; runs) {
            RecordedDirtyRun next = runs.hasNext() ? runs.next() : null;
            List<Item> items = new ArrayList<>(BATCH);
            int itemRuns = 0;
            while (!queue.stopped() && events.hasNext()) {
                RecordedEvent e = events.next();
                while (next != null && next.eventSeq() < e.seq()) {
                    next = runs.hasNext() ? runs.next() : null; // rows of no event: the verifier's business
                }
                List<RecordedDirtyRun> mine = List.of();
                if (next != null && next.eventSeq() == e.seq()) {
                    mine = new ArrayList<>();
                    while (next != null && next.eventSeq() == e.seq()) {
                        mine.add(next);
                        next = runs.hasNext() ? runs.next() : null;
                    }
                }
                items.add(new Item(e, mine));
                itemRuns += mine.size();
                if (items.size() == BATCH || itemRuns >= RUNS_AHEAD / 4) {
                    handOver(items, itemRuns);
                    items = new ArrayList<>(BATCH);
                    itemRuns = 0;
                }
            }
            handOver(items, itemRuns);
        } catch (BadTraceException | IOException | RuntimeException | Error e) {
            last = e;
        }
        queue.put(last);
    }

    /** Hands events over once there is room for their runs (all the room, for more than it has). */
    private void handOver(List<Item> items, int runs) {
        int room = Math.min(runs, RUNS_AHEAD);
        try {
            while (!queue.stopped() && !runsAhead.tryAcquire(room, 100, TimeUnit.MILLISECONDS)) {
                // the replay has not taken enough runs yet
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // put then gives up: an interrupt stops the hand-off
        }
        queue.put(new Batch(items, room));
    }

    /**
     * The next event with its runs, or null after the last; a failure to read is thrown here, in
     * the order it happened.
     */
    public Item next() throws BadTraceException, IOException {
        while (at == batch.items().size()) {
            runsAhead.release(batch.runs()); // the replay is done with the last batch's runs
            batch = new Batch(List.of(), 0);
            at = 0;
            if (ended) {
                return null;
            }
            Object x;
            try {
                x = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the trace");
            }
            if (x == END) {
                ended = true;
            } else if (x instanceof Batch b) {
                batch = b;
                at = 0;
            } else {
                ended = true;
                throw rethrown((Throwable) x);
            }
        }
        return batch.items().get(at++);
    }

    private static IOException rethrown(Throwable t) throws BadTraceException {
        if (t instanceof BadTraceException b) {
            throw b;
        }
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof UncheckedIOException u) {
            return u.getCause();
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        throw (Error) t;
    }

    /** Stops the reading thread (it closes the files) and waits for it. */
    @Override
    public void close() {
        queue.stop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
