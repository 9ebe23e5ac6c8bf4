package org.migtrace.recorder.importer.bpftrace.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.HandOff;

/**
 * The reading half of the import, on a thread of its own: bpftrace's objects are read and the
 * script's payloads parsed into immutable {@link Item}s, handed to {@link BpftraceStream} in batches
 * through a bounded queue, so that parsing the next lines overlaps with turning the previous ones
 * into rows. Memory blocks are kept here per thread and handed over with their thread's call line.
 * A batch is handed over when it is full and before every read that may block (a live pipe
 * with nothing in it), so nothing waits in a half-filled batch; a read of bytes already waiting
 * hands nothing over, so a fast pipe's 64 KiB reads do not cut the batches short. Memory stays at
 * the queue's few batches.
 */
final class LineParser implements Runnable {
    private static final int BATCH = 1024;
    private static final int QUEUED_BATCHES = 8;
    private static final long[] NO_WORDS = {};
    /**
     * Blocks one call can bring: 8 (caps, ranges, name) and the bitmap's chunks (512 with the shipped
     * script's 32 KiB; what the start line's {@code bitmap_cap} says, up to 64 MiB); more means a lost
     * call line, and the oldest go.
     */
    private static final int MIN_BLOCKS_PER_THREAD = 1024;
    private static final int MAX_BLOCKS_PER_THREAD = 1 << 20;

    /** What one object of the input became. */
    sealed interface Item permits Call, Marker, Other, End, Failed {
    }

    /** A syscall line with the memory blocks its thread sent before it (its {@code arrival}: its object's number in the input). */
    record Call(Pending.Call call) implements Item {
    }

    /** A marker line: start, end or tick (or another name, with its envelope for the report). */
    record Marker(String marker, long script, long bitmapCap, long tsNs, Envelope envelope) implements Item {
    }

    /**
     * Anything else: another bpftrace type, or a printf that is not one of the script's flat lines;
     * {@code arrival} is its object's number in the input, as a call's.
     */
    record Other(Envelope envelope, long arrival) implements Item {
    }

    /**
     * The end of the input: {@code objects} read in all, {@code truncatedAt} the line of a cut-off
     * last object (or 0), {@code orphanBlocks} memory blocks no call line claimed.
     */
    record End(long objects, long truncatedAt, long orphanBlocks) implements Item {
    }

    /** Reading failed: bad input (with its line) or an I/O error. */
    record Failed(Exception error) implements Item {
    }

    private final EnvelopeReader reader;
    private final Payload payload = new Payload();
    private final HandOff<List<Item>> queue = new HandOff<>(QUEUED_BATCHES);
    private final Map<Integer, List<long[]>> blocks = new HashMap<>();
    /** The thread of the last memory block and its list in {@link #blocks} (a call's blocks come in a row), or null. */
    private int lastTid;
    private List<long[]> lastBlocks;
    private List<Item> batch = new ArrayList<>(BATCH);
    private int blocksPerThread = MIN_BLOCKS_PER_THREAD;
    private long orphanBlocks;
    private volatile long objects;

    LineParser(InputStream in, String sourceName) {
        this.reader = new EnvelopeReader(in, sourceName, this::handOver, payload);
    }

    /** The next batch, or null when none came within {@code timeoutNs}. */
    List<Item> poll(long timeoutNs) throws InterruptedException {
        return queue.poll(timeoutNs);
    }

    /** Objects read so far (for progress; {@link End} has the final count). */
    long objectsRead() {
        return objects;
    }

    /** Tells the reading thread to stop at its next hand-over (the reader gave up). */
    void stop() {
        queue.stop();
    }

    @Override
    public void run() {
        try (reader) {
            Envelope e;
            while (!queue.stopped() && (e = reader.next()) != null) {
                objects++; // this thread alone writes it
                Item item = item(e);
                if (item != null) {
                    batch.add(item);
                    if (batch.size() == BATCH) {
                        handOver();
                    }
                }
            }
            for (List<long[]> b : blocks.values()) {
                orphanBlocks += b.size();
            }
            batch.add(new End(objects, reader.truncated(), orphanBlocks));
        } catch (BadTraceException | IOException | RuntimeException ex) {
            batch.add(new Failed(ex));
        }
        handOver();
    }

    /** What {@code e} is; null for a memory block, kept until its thread's call line. */
    private Item item(Envelope e) {
        if (!"printf".equals(e.type()) || !e.hasText() || !(e.payloadParsed || payload.parse(e.textBytes(), e.textLength()))) {
            return new Other(e.copy(), objects);
        }
        Payload p = payload;
        switch (p.shape) {
            case MARKER -> {
                boolean known = switch (p.marker) {
                    case "start", "end", "tick" -> true;
                    default -> false;
                };
                if (p.marker.equals("start")) {
                    blocksPerThread = (int) Math.max(MIN_BLOCKS_PER_THREAD,
                            Math.min(MAX_BLOCKS_PER_THREAD, p.bitmapCap / 64 + 16));
                }
                return new Marker(p.marker, p.script, p.bitmapCap, p.tsNs, known ? null : e.copy());
            }
            case MEM -> {
                long[] b = new long[p.wN + 1];
                b[0] = p.mem;
                System.arraycopy(p.w, 0, b, 1, p.wN);
                List<long[]> list = lastBlocks != null && lastTid == p.tid ? lastBlocks
                        : blocks.computeIfAbsent(p.tid, k -> new ArrayList<>());
                lastTid = p.tid;
                lastBlocks = list;
                if (list.size() >= blocksPerThread) {
                    list.remove(0);
                    orphanBlocks++;
                }
                list.add(b);
                return null;
            }
            case CALL -> {
                if (p.sys == null) {
                    return new Other(e.copy(), objects);
                }
                List<long[]> mine = blocks.remove(p.tid);
                if (mine == lastBlocks) {
                    lastBlocks = null;
                }
                return new Call(new Pending.Call(p.tsNs, objects, p.t1, p.pid, p.tid, p.thread, p.sys, p.fd, p.k, p.cmd,
                        p.arg, p.count, p.offset, p.ret, words(p.in, p.inN), words(p.out, p.outN),
                        p.bitmap, p.bitmapCaptured, p.object, mine == null ? List.of() : mine));
            }
            default -> throw new IllegalStateException("shape " + p.shape);
        }
    }

    /** The first {@code n} of {@code words}, copied; no words are one shared empty array (most calls have none: reads). */
    private static long[] words(long[] words, int n) {
        return n == 0 ? NO_WORDS : Arrays.copyOf(words, n);
    }

    /** Puts the batch so far on the queue (waiting while it is full), unless it is empty. */
    private void handOver() {
        if (batch.isEmpty()) {
            return;
        }
        queue.put(batch);
        batch = new ArrayList<>(BATCH);
    }
}
