package org.migtrace.robustness;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.migtrace.recorder.CaptureLines;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.RecordedTrace;

/**
 * The live capture under load: a producer writes the capture script's output (as bpftrace prints
 * it, {@link CaptureLines}) at a fixed rate into the standard input of {@code migtrace import
 * bpftrace - -o TRACE} (the path {@code record --bpftrace} reads bpftrace's pipe through), while
 * the consumer's resident size is sampled once a second and its heap after every collection is
 * taken from its GC log. What bpftrace would do when its reader falls behind (drop lines) is here
 * the pipe blocking the producer: the lines due but not yet written are the lag.
 *
 * <p>Run with {@link LoadCommand}; {@code LiveCaptureUnderLoadTest} runs it at a modest rate.
 */
final class LiveLoad {

    /**
     * @param linesPerSecond the rate asked for
     * @param seconds        how long the producer writes at that rate (it writes rate x seconds lines in all)
     * @param scenario       whose capture is repeated (a built-in name or a scenario file)
     * @param consumer       the command that runs migtrace ({@code bin/migtrace}, or a java command line)
     */
    record Settings(long linesPerSecond, double seconds, String scenario, List<String> consumer) {
        Settings {
            if (linesPerSecond < 1 || seconds <= 0) {
                throw new IllegalArgumentException("rate " + linesPerSecond + ", seconds " + seconds);
            }
            consumer = List.copyOf(consumer);
        }
    }

    /** One second of the run: lines written and due so far, and the consumer's resident size. */
    record Sample(double seconds, long written, long due, long rssKiB) {
        long lag() {
            return Math.max(0, due - written);
        }
    }

    /**
     * @param lines       lines written (the three around the calls included)
     * @param calls       call lines written: the events rows the trace must have
     * @param seconds     how long writing took (longer than asked when the consumer held the producer back)
     * @param finishSeconds from the end line written to the consumer's exit
     * @param exit        the consumer's exit status
     * @param heapAfterGcKiB the consumer's heap after each collection, in order
     */
    record Result(Settings settings, long lines, long calls, double seconds, double finishSeconds, int exit,
                  List<Sample> samples, List<Long> heapAfterGcKiB, Path trace) {
        double linesPerSecond() {
            return lines / seconds;
        }

        long maxLag() {
            return samples.stream().mapToLong(Sample::lag).max().orElse(0);
        }
    }

    private static final int CHUNK = 1024;

    private LiveLoad() {
    }

    /** Runs the producer and the consumer into the new trace directory {@code trace}. */
    static Result run(Settings settings, Path trace) throws IOException, InterruptedException, ScenarioException {
        CaptureLines capture = CaptureLines.of(settings.scenario());
        Path gcLog = trace.resolveSibling(trace.getFileName() + ".gc.log");
        List<String> cmd = new ArrayList<>(settings.consumer());
        cmd.addAll(List.of("import", "bpftrace", "-", "-o", trace.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        // every JVM reads it, whether started by bin/migtrace or directly
        pb.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLog + ":uptime");
        Process consumer = pb.start();
        List<Sample> samples = new ArrayList<>();
        long lines;
        long t0;
        try (OutputStream out = new BufferedOutputStream(consumer.getOutputStream(), 1 << 16)) {
            lines = capture.writeHead(out);
            out.flush();
            awaitStart(consumer, trace);
            t0 = System.nanoTime();
            lines += produce(capture, out, settings, consumer.pid(), samples, t0);
            lines += capture.writeTail(out);
        }
        long written = System.nanoTime();
        if (!consumer.waitFor(10, TimeUnit.MINUTES)) {
            consumer.destroyForcibly();
            throw new IllegalStateException("the consumer did not finish within 10 minutes of its input's end");
        }
        long done = System.nanoTime();
        return new Result(settings, lines, capture.calls(), (written - t0) / 1e9, (done - written) / 1e9,
                consumer.exitValue(), samples, heapAfterGc(gcLog), trace);
    }

    /**
     * The clock starts once the consumer runs: its JVM takes a while to start, and the capture script's
     * lines only come once bpftrace has attached, by which time migtrace is long up. The import
     * creates the trace directory before it reads a line.
     */
    private static void awaitStart(Process consumer, Path trace) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!Files.exists(trace.resolve("manifest.json"))) {
            if (!consumer.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the consumer did not start (exit " + (consumer.isAlive() ? "none"
                        : consumer.exitValue()) + ")");
            }
            Thread.sleep(10);
        }
    }

    /**
     * Writes rate x seconds lines, each as it falls due (when the consumer holds the producer back, it
     * takes longer: the lag grows); a sample every second. Returns the lines written.
     */
    private static long produce(CaptureLines capture, OutputStream out, Settings s, long pid, List<Sample> samples,
                                long t0) throws IOException {
        long total = (long) (s.seconds() * s.linesPerSecond());
        long nextSample = t0 + TimeUnit.SECONDS.toNanos(1);
        long written = 0;
        while (true) {
            long now = System.nanoTime();
            long due = Math.min(total, (long) ((now - t0) / 1e9 * s.linesPerSecond()));
            if (now >= nextSample) {
                out.flush();
                samples.add(new Sample((now - t0) / 1e9, written, due, Rss.kib(pid)));
                nextSample += TimeUnit.SECONDS.toNanos(1);
            }
            if (written >= total) {
                return written;
            }
            if (written < due) {
                // stamped as bpftrace stamps a call: when it happens, just before it is written
                written += capture.write(out, Math.min(CHUNK, due - written), (ts, round, n) -> now + n);
            } else {
                out.flush();
                LockSupport.parkNanos(200_000);
            }
        }
    }

    /** The heap after each collection, from {@code -Xlog:gc} lines ({@code ... 120M->35M(256M) ...}). */
    private static List<Long> heapAfterGc(Path gcLog) throws IOException {
        List<Long> after = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return after;
        }
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\(");
        for (String line : Files.readAllLines(gcLog)) {
            java.util.regex.Matcher m = p.matcher(line);
            if (m.find()) {
                long v = Long.parseLong(m.group(3));
                after.add(switch (m.group(4)) {
                    case "G" -> v << 20;
                    case "M" -> v << 10;
                    default -> v;
                });
            }
        }
        return after;
    }

    /** What reached the trace: its events against the calls written, the losses it recorded, whether it finished. */
    record Landed(long calls, long events, long lost, boolean complete) {
        boolean all() {
            return events == calls && lost == 0 && complete;
        }

        String describe() {
            return String.format(Locale.ROOT, "trace: %,d events of %,d calls written, %d lost, %s", events, calls, lost,
                    complete ? "complete" : "NOT complete");
        }
    }

    /** Opens the trace {@code r} wrote and counts what landed. */
    static Landed landed(Result r) throws IOException, BadTraceException {
        try (RecordedTrace trace = RecordedTrace.open(r.trace())) {
            return new Landed(r.calls(), trace.eventCount(), trace.manifest().lostEvents(), trace.captureComplete());
        }
    }
}
