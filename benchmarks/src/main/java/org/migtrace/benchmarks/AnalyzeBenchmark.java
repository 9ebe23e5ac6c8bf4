package org.migtrace.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.migtrace.analysis.Analysis;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.JvmFlags;
import org.migtrace.recorder.Dirs;
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
 * Issue 6's target as JMH single shots, side by side in one run: {@code analyze}'s work (
 * {@code TraceDatabase.load}, the views, the verdict, the iteration table, every rule) against
 * DuckDB loading the same trace and counting its rows (the baseline of {@link AnalyzeSpeed}).
 *
 * <p>The trace is {@link AnalyzeSpeed#write AnalyzeSpeed's synthetic pre-copy mix} of {@code events}
 * events. Writing 10 M events takes longer than analyzing them, so {@code trace} may name a
 * directory holding one already (the bench runner writes it once for both benchmarks' forks);
 * empty, each trial writes its own into a temporary directory and deletes it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", JvmFlags.COLLECTOR, "-Xmx3g"})
public class AnalyzeBenchmark {
    @Param({"10000000"})
    public long events;

    /** A trace directory written by {@link AnalyzeSpeed#write} with {@code events} events, or empty. */
    @Param({""})
    public String trace;

    private Path dir;
    private Path scratch;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (trace.isEmpty()) {
            scratch = Files.createTempDirectory("migtrace-bench-analyze");
            dir = scratch.resolve("trace");
            AnalyzeSpeed.write(dir, events);
        } else {
            dir = Path.of(trace);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Dirs.delete(scratch);
    }

    @Benchmark
    public long duckdbLoadAndCount() throws Exception {
        return AnalyzeSpeed.loadAndCount(dir);
    }

    @Benchmark
    public Analysis analyze() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(dir)) {
            return Analysis.of(db);
        }
    }
}
