package org.migtrace.recorder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;

/**
 * What {@code bpftrace -f json migtrace-vfio.bt} prints about the source VMM of a simulated
 * migration ({@link ScriptEmulator}, with the script's default dirty-bitmap capture limit), as
 * long as asked: its printf lines over and over, each call line re-stamped as it is written. What
 * the import benchmarks and the live-load test feed the importer. Each line is cut once around its
 * {@code ts_ns} and {@code t1}, and written as its parts with the new stamps in between (the
 * return {@code t1} keeps the call's duration); a memory line is never separated from the call
 * line after it. Not thread-safe.
 */
public final class CaptureLines {
    private static final Pattern STAMP = Pattern.compile("\\\\\"(ts_ns|t1)\\\\\":(\\d+)");

    /** The entry time to print for a call line. */
    @FunctionalInterface
    public interface Stamp {
        /**
         * @param recordedTs the call's {@code ts_ns} in the simulated capture
         * @param round      how many times the whole capture was written before this line
         * @param written    lines written by this {@link #write} call so far, this one included
         */
        long ts(long recordedTs, long round, long written);
    }

    /**
     * One printf line between its stamps: {@code parts[0] ts parts[1] t1 parts[2]}, or a memory line
     * ({@code parts} only, no stamp), which belongs to the call line after it.
     */
    private record Line(byte[][] parts, long ts, long duration) {
        boolean isCall() {
            return parts.length > 1;
        }
    }

    private final byte[] head;
    private final byte[] tail;
    private final List<Line> body = new ArrayList<>();
    private final long span;
    private final byte[] digits = new byte[20];
    private final byte[] buffer = new byte[1 << 16];
    private int buffered;
    private int next;
    private long round;
    private long calls;

    private CaptureLines(String capture) {
        String[] all = capture.split("\n");
        head = (all[0] + "\n" + all[1] + "\n").getBytes(StandardCharsets.UTF_8); // attached_probes, the start line
        tail = (all[all.length - 1] + "\n").getBytes(StandardCharsets.UTF_8);     // the end line
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 2; i < all.length - 1; i++) {
            Line line = cut(all[i]);
            body.add(line);
            if (line.isCall()) {
                first = Math.min(first, line.ts);
                last = Math.max(last, line.ts + line.duration);
            }
        }
        span = last - first + 1_000_000;
    }

    /** The capture of {@code scenario}'s migration (a built-in name or a YAML file). */
    public static CaptureLines of(String scenario) throws ScenarioException {
        ScriptEmulator script = new ScriptEmulator("src", BpftraceScript.MAX_BITMAP_BYTES);
        Simulation.of(ScenarioLoader.resolve(scenario)).run(script);
        return new CaptureLines(script.output());
    }

    private static Line cut(String line) {
        Matcher m = STAMP.matcher(line);
        List<byte[]> parts = new ArrayList<>();
        long[] stamps = new long[2];
        int at = 0;
        int n = 0;
        while (n < 2 && m.find()) {
            parts.add(line.substring(at, m.start(2)).getBytes(StandardCharsets.UTF_8));
            stamps[n++] = Long.parseLong(m.group(2));
            at = m.end(2);
        }
        if (n == 1) {
            throw new IllegalArgumentException("a call line with ts_ns but no t1: " + line);
        }
        parts.add((line.substring(at) + "\n").getBytes(StandardCharsets.UTF_8));
        return new Line(parts.toArray(byte[][]::new), stamps[0], stamps[1] - stamps[0]);
    }

    /** The time from the capture's first call to its last call's return, and a millisecond: what a round moves stamps on by. */
    public long span() {
        return span;
    }

    /** Starts again from the capture's first printf line, round 0, no calls written. */
    public void rewind() {
        next = 0;
        round = 0;
        calls = 0;
    }

    /** Writes the two lines before any call (bpftrace's attached_probes, the script's start line); returns 2. */
    public int writeHead(OutputStream out) throws IOException {
        out.write(head);
        return 2;
    }

    /** Writes the script's end line; returns 1. */
    public int writeTail(OutputStream out) throws IOException {
        out.write(tail);
        return 1;
    }

    /**
     * Writes the next {@code lines} printf lines, and then any memory lines' call line (a call is
     * never split), each call stamped by {@code stamp}; returns how many lines it wrote.
     */
    public long write(OutputStream out, long lines, Stamp stamp) throws IOException {
        long written = 0;
        boolean inCall = false;
        while (written < lines || inCall) {
            Line line = body.get(next);
            written++;
            inCall = !line.isCall();
            if (inCall) {
                put(out, line.parts[0]);
            } else {
                long ts = stamp.ts(line.ts, round, written);
                put(out, line.parts[0]);
                putLong(out, ts);
                put(out, line.parts[1]);
                putLong(out, ts + line.duration);
                put(out, line.parts[2]);
                calls++;
            }
            if (++next == body.size()) {
                next = 0;
                round++;
            }
        }
        drain(out);
        return written;
    }

    /** Call lines written so far: each becomes one events row. */
    public long calls() {
        return calls;
    }

    /**
     * {@code b} into the buffer, which goes to {@code out} when full: the lines are put together
     * here and written in 64 KiB pieces, not part by part (this is the 1M lines/s path).
     */
    private void put(OutputStream out, byte[] b) throws IOException {
        if (buffered + b.length > buffer.length) {
            drain(out);
            if (b.length > buffer.length) {
                out.write(b);
                return;
            }
        }
        System.arraycopy(b, 0, buffer, buffered, b.length);
        buffered += b.length;
    }

    /** {@code v} (never negative: a time) in decimal, into the buffer. */
    private void putLong(OutputStream out, long v) throws IOException {
        if (buffered + 20 > buffer.length) {
            drain(out);
        }
        int n = digits.length;
        do {
            digits[--n] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        System.arraycopy(digits, n, buffer, buffered, digits.length - n);
        buffered += digits.length - n;
    }

    private void drain(OutputStream out) throws IOException {
        if (buffered > 0) {
            out.write(buffer, 0, buffered);
            buffered = 0;
        }
    }
}
