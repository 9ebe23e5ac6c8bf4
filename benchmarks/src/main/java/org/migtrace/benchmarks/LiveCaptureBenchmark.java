package org.migtrace.benchmarks;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.BufferPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.migtrace.cli.JvmFlags;
import org.migtrace.recorder.Dirs;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.benchmarks.run.Machine;
import org.migtrace.trace.TraceWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The live capture's path, as {@code record --bpftrace} runs it, minus bpftrace: the capture
 * script's output arriving on an OS pipe (a FIFO) from another process, as bpftrace's does, read
 * through a {@link FileInputStream} as {@code record --bpftrace} reads bpftrace's standard output, by
 * the streaming import into a trace directory on disk. One invocation is {@code lines} lines of
 * {@link Captures#repeated a long migration's capture}, written beforehand into a file that
 * {@code cat} copies into the pipe as fast as the pipe takes it: a writer that costs the machine
 * as little as a writer can (0.11–0.15 s of CPU per 1 M lines, all of it the kernel copying into
 * the pipe), so that on a small machine the figure is the import's own rate. bpftrace itself costs
 * more, and on two cores takes its share of them.
 *
 * <p>Reported once per iteration: lines/s and events rows/s through the pipe, the heap in use after a full collection, the NIO buffers in use, and the process's
 * resident size at its peak. The forked JVM gets a fixed 256 MiB heap and 256 MiB of direct
 * memory: a path whose memory grew with the stream would fail at the larger sizes. Compare the two
 * {@code lines} values: same figures means memory does not grow with the capture.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 6)
@Measurement(iterations = 4)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", JvmFlags.COLLECTOR, "-Xmx256m",
        "-XX:MaxDirectMemorySize=256m"})
public class LiveCaptureBenchmark {
    @Param({"500000", "4000000"})
    public long lines;

    private Path dir;
    private Path capture;
    private long captureLines;
    private Path fifo;
    private Path trace;
    private BpftraceReport last;
    private long lastNs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("migtrace-bench-live");
        capture = dir.resolve("capture.json");
        try (OutputStream out = Files.newOutputStream(capture)) {
            captureLines = Captures.repeated("nic-converges").write(out, lines);
        }
        fifo = dir.resolve("bpftrace-stdout");
        run("mkfifo", fifo.toString());
    }

    /** Runs a command to its end; its output is the message when it fails. */
    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + said);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Dirs.delete(dir);
    }

    @TearDown(Level.Iteration)
    public void memory() throws Exception {
        System.gc(); // what the import keeps, not what it has yet to collect
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        double seconds = lastNs / 1e9;
        System.out.printf("%n  %d lines: %.0f lines/s, %.0f events rows/s; heap after GC %.1f MiB, NIO buffers %.1f MiB,"
                + " peak RSS %s%n", last.lines(), last.lines() / seconds, last.rows() / seconds, heap / 1048576.0,
                direct / 1048576.0, peakRss());
        Dirs.delete(trace);
    }

    @Benchmark
    public BpftraceReport pipeIntoTrace() throws Exception {
        long t0 = System.nanoTime();
        Dirs.delete(trace);
        trace = dir.resolve("trace");
        TraceWriter writer = TraceWriter.create(trace, BpftraceImport.manifest(null, "benchmark", List.of()));
        // the shell opens the pipe after it started (an open for writing waits for the reader's)
        Process bpftrace = new ProcessBuilder("sh", "-c", "exec cat -- \"$0\" > \"$1\"", capture.toString(), fifo.toString())
                .redirectErrorStream(true).start();
        BpftraceReport report;
        try (InputStream stdout = new BufferedInputStream(new FileInputStream(fifo.toFile()))) { // as Process.getInputStream()
            report = BpftraceImport.run(stdout, "pipe", writer, BpftraceImport.Options.defaults().host("src"));
        } catch (Exception e) {
            bpftrace.destroy(); // not left waiting on a pipe nobody reads
            throw e;
        }
        writer.finish(report.complete());
        if (bpftrace.waitFor() != 0) {
            throw new IllegalStateException("cat into the pipe: " + new String(bpftrace.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).strip());
        }
        if (!report.complete() || report.lines() != captureLines || report.orphanBlocks() != 0) {
            throw new IllegalStateException("read " + report.lines() + " lines of " + captureLines);
        }
        last = report;
        lastNs = System.nanoTime() - t0;
        return report;
    }

    private static String peakRss() {
        return Machine.procValue(Path.of("/proc/self/status"), "VmHWM").orElse("unknown");
    }
}
