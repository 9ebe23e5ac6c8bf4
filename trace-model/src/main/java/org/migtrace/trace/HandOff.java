package org.migtrace.trace;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The bounded queue between a thread that reads ahead (a capture's lines, a trace's events) and the
 * one consumer of what it read, with the way out both need: the producer waits for room but gives
 * up once the consumer {@link #stop() stopped}, so a consumer that fails or finishes early never
 * leaves the reading thread blocked. Items keep their order.
 */
public final class HandOff<T> {
    private final BlockingQueue<T> queue;
    private volatile boolean stopped;

    /** A queue of at most {@code capacity} items (batches, usually). */
    public HandOff(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /**
     * Producer: puts {@code item} on the queue, waiting while it is full; false (item dropped) when
     * the consumer stopped, or the producer was interrupted (which stops it, the flag kept).
     */
    public boolean put(T item) {
        try {
            while (!stopped) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    if (stopped) { // room the consumer's stop made by dropping the queue: no hand-over
                        queue.clear();
                        return false;
                    }
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
        return false;
    }

    /** Consumer: the next item, waiting for it. */
    public T take() throws InterruptedException {
        return queue.take();
    }

    /** Consumer: the next item, or null when none came within {@code timeoutNs}. */
    public T poll(long timeoutNs) throws InterruptedException {
        return queue.poll(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS);
    }

    /** Consumer: stops taking; the producer's waits end and what was queued is dropped. */
    public void stop() {
        stopped = true;
        queue.clear();
    }

    /** Whether the consumer stopped (a producer checks it between items). */
    public boolean stopped() {
        return stopped;
    }
}
