package org.migtrace.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.migtrace.recorder.ScriptEmulator;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioLoader;

/**
 * Realistic bpftrace captures for the import benchmarks, and deleting the benchmarks' temporary directories.
 * {@code java -cp benchmarks/target/benchmarks.jar org.migtrace.benchmarks.Captures FILE LINES}
 * writes one (to profile an import by hand).
 */
public final class Captures {
    private Captures() {
    }

    public static void main(String[] args) throws Exception {
        try (OutputStream out = Files.newOutputStream(Path.of(args[0]))) {
            repeated("nic-converges").write(out, Long.parseLong(args[1]));
        }
    }

    /**
     * What {@code bpftrace -f json migtrace-vfio.bt} prints about the source VMM of a built-in
     * scenario's migration (the capture script's emulation the parity test checks the importer
     * against), with the script's default dirty-bitmap capture limit.
     */
    static String of(String scenario) throws Exception {
        ScriptEmulator script = new ScriptEmulator("src", BpftraceScript.MAX_BITMAP_BYTES);
        Simulation.of(ScenarioLoader.builtIn(scenario)).run(script);
        return script.output();
    }

    /**
     * A long migration's capture: the printf lines of {@link #of(String) a scenario's capture}
     * repeated with their timestamps moved on by the capture's span each time, between one
     * {@code attached_probes} line, the script's start line and its end line.
     */
    static Repeated repeated(String scenario) throws Exception {
        return new Repeated(of(scenario));
    }

    /** See {@link #repeated(String)}. */
    static final class Repeated {
        private static final Pattern TS = Pattern.compile("\\\\\"(ts_ns|t1)\\\\\":(\\d+)");

        /** One printf line, cut around its timestamps: {@code parts[0] ts[0] parts[1] ... parts[n]}. */
        private record Template(byte[][] parts, long[] ts) {
        }

        private final byte[] head;
        private final byte[] tail;
        private final List<Template> body = new ArrayList<>();
        private final long span;

        private Repeated(String capture) {
            String[] all = capture.split("\n");
            head = (all[0] + "\n" + all[1] + "\n").getBytes(StandardCharsets.UTF_8); // attached_probes, the start line
            tail = (all[all.length - 1] + "\n").getBytes(StandardCharsets.UTF_8);     // the end line
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = 2; i < all.length - 1; i++) {
                Matcher m = TS.matcher(all[i]);
                List<byte[]> parts = new ArrayList<>();
                List<Long> ts = new ArrayList<>();
                int at = 0;
                while (m.find()) {
                    parts.add(all[i].substring(at, m.start(2)).getBytes(StandardCharsets.UTF_8));
                    long t = Long.parseLong(m.group(2));
                    ts.add(t);
                    first = Math.min(first, t);
                    last = Math.max(last, t);
                    at = m.end(2);
                }
                parts.add((all[i].substring(at) + "\n").getBytes(StandardCharsets.UTF_8));
                body.add(new Template(parts.toArray(byte[][]::new), ts.stream().mapToLong(Long::longValue).toArray()));
            }
            span = last - first + 1_000_000;
        }

        /**
         * Writes the whole capture with {@code lines} printf lines (plus the three around them) to
         * {@code out}; it stops after a call's line, never between a call's memory lines and its call
         * line, so it may write a few lines more. Returns how many lines it wrote in all.
         */
        long write(OutputStream sink, long lines) throws IOException {
            byte[] digits = new byte[20];
            OutputStream out = new BufferedOutputStream(sink, 1 << 16);
            out.write(head);
            long written = 0;
            boolean inCall = false; // the last line written was a memory line, whose call line must follow
            for (long round = 0; written < lines || inCall; round++) {
                long shift = round * span;
                for (int i = 0; i < body.size() && (written < lines || inCall); i++, written++) {
                    Template t = body.get(i);
                    inCall = t.ts.length == 0;
                    for (int p = 0; p < t.ts.length; p++) {
                        out.write(t.parts[p]);
                        writeLong(out, t.ts[p] + shift, digits);
                    }
                    out.write(t.parts[t.ts.length]);
                }
            }
            out.write(tail);
            out.flush();
            return written + 3;
        }

        private static void writeLong(OutputStream out, long v, byte[] digits) throws IOException {
            int n = digits.length;
            do {
                digits[--n] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
            out.write(digits, n, digits.length - n);
        }
    }

    /** Deletes {@code dir} and everything below it, if it exists. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
