package org.migtrace.benchmarks;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
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
 * script's output arriving on an OS pipe (a FIFO, written by another thread as fast as the pipe
 * takes it), read through a {@link FileInputStream} as {@code record --bpftrace} reads bpftrace's
 * standard output, by the streaming import into a trace directory on disk. One invocation is
 * {@code lines} lines of {@link Captures#repeated a long migration's capture}.
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

    private Captures.Repeated capture;
    private Path dir;
    private Path fifo;
    private Path trace;
    private BpftraceReport last;
    private long lastNs;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("migtrace-bench-live");
        capture = Captures.repeated("nic-converges");
        fifo = dir.resolve("bpftrace-stdout");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        String said = new String(mkfifo.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (mkfifo.waitFor() != 0) {
            throw new IllegalStateException("mkfifo " + fifo + ": " + said);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Captures.delete(dir);
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
        Captures.delete(trace);
    }

    @Benchmark
    public BpftraceReport pipeIntoTrace() throws Exception {
        long t0 = System.nanoTime();
        Captures.delete(trace);
        trace = dir.resolve("trace");
        TraceWriter writer = TraceWriter.create(trace, BpftraceImport.manifest(null, "benchmark", List.of()));
        long[] written = new long[1];
        Thread producer = new Thread(() -> written[0] = produce(), "bpftrace-stand-in"); // its open waits for ours
        producer.start();
        BpftraceReport report;
        try (InputStream stdout = new BufferedInputStream(new FileInputStream(fifo.toFile()))) { // as Process.getInputStream()
            report = BpftraceImport.run(stdout, "pipe", writer, BpftraceImport.Options.defaults().host("src"));
        }
        writer.finish(report.complete());
        producer.join();
        if (!report.complete() || report.lines() != written[0] || report.orphanBlocks() != 0) {
            throw new IllegalStateException("read " + report.lines() + " lines of " + written[0]);
        }
        last = report;
        lastNs = System.nanoTime() - t0;
        return report;
    }

    private long produce() {
        try (OutputStream out = new FileOutputStream(fifo.toFile())) {
            return capture.write(out, lines);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String peakRss() {
        return Machine.procValue(Path.of("/proc/self/status"), "VmHWM").orElse("unknown");
    }
}
