package org.migtrace.robustness;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.migtrace.recorder.ScriptEmulator;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;

/**
 * What bpftrace prints while the capture script runs, made to order: the lines the script prints
 * for a simulated migration ({@link ScriptEmulator}), repeated for as long as asked, each call
 * stamped like bpftrace stamps it, from the clock at the moment it is written ({@code ts_ns}; the
 * return {@code t1} keeps the call's duration). So the importer sees what it sees live: entry
 * times close behind the wall clock, in order, at whatever rate the producer is paced to.
 */
final class PacedCapture {
    private static final Pattern STAMP = Pattern.compile("\\\\\"(ts_ns|t1)\\\\\":(\\d+)");

    /**
     * One printf line between its stamps: {@code parts[0] ts parts[1] t1 parts[2]}, or a memory
     * line ({@code parts} only, no stamp), which belongs to the call line after it.
     */
    private record Line(byte[][] parts, long duration) {
        boolean isCall() {
            return parts.length > 1;
        }
    }

    private final byte[] head;
    private final byte[] tail;
    private final List<Line> body = new ArrayList<>();
    private final byte[] digits = new byte[20];
    private int next;
    private long calls;

    private PacedCapture(String capture) {
        String[] all = capture.split("\n");
        head = (all[0] + "\n" + all[1] + "\n").getBytes(StandardCharsets.UTF_8); // attached_probes, start
        tail = (all[all.length - 1] + "\n").getBytes(StandardCharsets.UTF_8);     // end
        for (int i = 2; i < all.length - 1; i++) {
            body.add(cut(all[i]));
        }
    }

    /** The capture script's lines for the source VMM of {@code scenario}'s migration (a built-in name or a file). */
    static PacedCapture of(String scenario) throws ScenarioException {
        ScriptEmulator script = new ScriptEmulator("src", BpftraceScript.MAX_BITMAP_BYTES);
        Simulation.of(ScenarioLoader.resolve(scenario)).run(script);
        return new PacedCapture(script.output());
    }

    private static Line cut(String line) {
        Matcher m = STAMP.matcher(line);
        List<byte[]> parts = new ArrayList<>();
        long[] stamps = new long[2];
        int at = 0;
        int n = 0;
        while (m.find() && n < 2) {
            parts.add(line.substring(at, m.start(2)).getBytes(StandardCharsets.UTF_8));
            stamps[n++] = Long.parseLong(m.group(2));
            at = m.end(2);
        }
        if (n == 1) {
            throw new IllegalArgumentException("a call line with ts_ns but no t1: " + line);
        }
        parts.add((line.substring(at) + "\n").getBytes(StandardCharsets.UTF_8));
        return new Line(parts.toArray(byte[][]::new), stamps[1] - stamps[0]);
    }

    /** The two lines before any call: bpftrace's attached_probes and the script's start line. */
    void writeHead(OutputStream out) throws IOException {
        out.write(head);
    }

    /** The script's end line. */
    void writeTail(OutputStream out) throws IOException {
        out.write(tail);
    }

    /**
     * Writes the next {@code lines} lines, and then any memory lines' call line (a call is never split),
     * calls stamped {@code nowNs}, {@code nowNs + 1}, ...; returns how many lines it wrote.
     */
    int write(OutputStream out, int lines, long nowNs) throws IOException {
        int written = 0;
        boolean inCall = false;
        while (written < lines || inCall) {
            Line line = body.get(next);
            next = (next + 1) % body.size();
            written++;
            inCall = !line.isCall();
            if (inCall) {
                out.write(line.parts[0]);
                continue;
            }
            long ts = nowNs + written;
            out.write(line.parts[0]);
            writeLong(out, ts);
            out.write(line.parts[1]);
            writeLong(out, ts + line.duration);
            out.write(line.parts[2]);
            calls++;
        }
        return written;
    }

    /** Call lines written so far: each becomes one events row. */
    long calls() {
        return calls;
    }

    /** {@code v} (never negative: a clock reading) in decimal, without a String per stamp: this is the 1M lines/s path. */
    private void writeLong(OutputStream out, long v) throws IOException {
        int n = digits.length;
        do {
            digits[--n] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        out.write(digits, n, digits.length - n);
    }
}
