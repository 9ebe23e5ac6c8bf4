package org.migtrace.benchmarks.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.migtrace.benchmarks.AnalyzeBenchmark;
import org.migtrace.benchmarks.BpftraceImportBenchmark;
import org.migtrace.benchmarks.DirtyBitmapBenchmark;
import org.migtrace.benchmarks.LiveCaptureBenchmark;
import org.migtrace.benchmarks.RecorderBenchmark;
import org.migtrace.benchmarks.ReplayBenchmark;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark with the settings one run of {@code bin/migtrace-bench} gives it: enough
 * iterations for a figure, few enough that the whole {@link Profile#FULL full} run stays under 10
 * minutes on 2 cores, and a {@link Profile#QUICK quick} profile (the smallest sizes, one iteration)
 * that checks every benchmark still runs, which the CI smoke test runs in-process.
 */
public final class Plan {

    /** How long and how big. */
    public enum Profile {
        /** The figures of docs/performance.md. */
        FULL,
        /** Every benchmark once, at its smallest: a check that it runs, no figure. */
        QUICK
    }

    /** One benchmark class with its options; the JSON result goes to {@code result}. */
    public record Suite(Class<?> benchmark, ChainedOptionsBuilder options, Path result) {
    }

    /** The size of issue 6's target: analyze on a 10 M-event trace. */
    public static final long ANALYZE_EVENTS = 10_000_000L;

    private Plan() {
    }

    /**
     * The suites of {@code profile}, each writing its JMH JSON into {@code results}; the analyze
     * benchmark reads {@code analyzeTrace} when it is not null (see {@link AnalyzeBenchmark#trace}).
     */
    public static List<Suite> suites(Profile profile, Path results, Path analyzeTrace) {
        boolean full = profile == Profile.FULL;
        List<Suite> suites = new ArrayList<>();
        suites.add(suite(DirtyBitmapBenchmark.class, results, full
                ? o -> o.warmupIterations(2).warmupTime(s(1)).measurementIterations(3).measurementTime(s(2))
                : o -> quick(o).param("guestBytes", String.valueOf(16L << 30))));
        suites.add(suite(RecorderBenchmark.class, results, full
                ? o -> o.warmupIterations(3).warmupTime(s(1)).measurementIterations(5).measurementTime(s(1))
                : o -> quick(o).param("scenario", "v1-legacy")));
        // The import's JIT settles after ~8 imports of 1 M lines on 2 cores (~15 s): measured before
        // that, the import ran 10-40 % slower than it does for the rest of a long capture.
        suites.add(suite(BpftraceImportBenchmark.class, results, full
                ? o -> o.warmupIterations(8).warmupTime(s(2)).measurementIterations(4).measurementTime(s(2))
                        .param("lines", "1000000")
                : o -> quick(o).param("lines", "20000")));
        suites.add(suite(LiveCaptureBenchmark.class, results, full
                ? o -> o.warmupIterations(6).measurementIterations(3).param("lines", "1000000")
                : o -> quick(o).param("lines", "20000")));
        suites.add(suite(ReplayBenchmark.class, results, full // the JIT settles the replay after ~10 s on 2 cores
                ? o -> o.warmupIterations(4).warmupTime(s(3)).measurementIterations(3).measurementTime(s(3))
                : Plan::quick));
        suites.add(suite(AnalyzeBenchmark.class, results, full
                ? o -> analyzeTrace(o.warmupIterations(1).measurementIterations(3)
                        .param("events", String.valueOf(ANALYZE_EVENTS)), analyzeTrace)
                : o -> analyzeTrace(quick(o).param("events", "20000"), analyzeTrace)));
        return suites;
    }

    private static ChainedOptionsBuilder quick(ChainedOptionsBuilder o) {
        return o.warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
    }

    private static ChainedOptionsBuilder analyzeTrace(ChainedOptionsBuilder o, Path trace) {
        return trace == null ? o : o.param("trace", trace.toString());
    }

    private static TimeValue s(int seconds) {
        return TimeValue.seconds(seconds);
    }

    private static Suite suite(Class<?> benchmark, Path results,
                               java.util.function.UnaryOperator<ChainedOptionsBuilder> settings) {
        Path result = results.resolve(benchmark.getSimpleName() + ".json");
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
                .forks(1)
                .resultFormat(ResultFormatType.JSON)
                .result(result.toString());
        return new Suite(benchmark, settings.apply(o), result);
    }
}
