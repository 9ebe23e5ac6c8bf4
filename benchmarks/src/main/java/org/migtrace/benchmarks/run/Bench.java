package org.migtrace.benchmarks.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.benchmarks.AnalyzeBenchmark;
import org.migtrace.benchmarks.AnalyzeSpeed;
import org.migtrace.recorder.Dirs;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;

/**
 * {@code bin/migtrace-bench}: every benchmark of the issues' targets in one run, their figures
 * written into docs/performance.md's generated section ({@link Figures}); with {@code --scale},
 * the scale run ({@link ScaleRun}) instead. Run from the repository's root.
 *
 * <pre>
 * bin/migtrace-bench [--quick] [--results DIR] [--doc FILE]   run the JMH suites, write the figures
 * bin/migtrace-bench --from DIR [--doc FILE]                  write the figures of an earlier run
 * bin/migtrace-bench --scale [--quick] [--doc FILE]           the scale run
 * </pre>
 *
 * {@code --quick} runs every benchmark once at its smallest (a check that they run; the figures
 * mean nothing) and leaves the doc alone unless {@code --doc} names one.
 */
public final class Bench {
    static final Path DOC = Path.of("docs/performance.md");

    private Bench() {
    }

    static final String USAGE = "usage: migtrace-bench [--quick] [--scale] [--from DIR] [--results DIR] [--doc FILE]";

    /** The options, parsed. */
    record Args(boolean quick, boolean scale, Path from, Path results, Path doc) {
        static Args parse(String[] args) {
            boolean quick = false;
            boolean scale = false;
            Path from = null;
            Path results = Path.of("benchmarks/target/bench");
            Path doc = null;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--scale" -> scale = true;
                    case "--from" -> from = Path.of(value(args, ++i));
                    case "--results" -> results = Path.of(value(args, ++i));
                    case "--doc" -> doc = Path.of(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "' (" + USAGE + ")");
                }
            }
            if (doc == null && !quick) {
                doc = DOC;
            }
            return new Args(quick, scale, from, results, doc);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException(args[i - 1] + " needs a value");
            }
            return args[i];
        }
    }

    public static void main(String[] argv) throws Exception {
        if (java.util.Arrays.asList(argv).contains("--help") || java.util.Arrays.asList(argv).contains("-h")) {
            System.out.println(USAGE + "\n(see docs/performance.md)");
            return;
        }
        Args args;
        try {
            args = Args.parse(argv);
        } catch (IllegalArgumentException e) {
            System.err.println("migtrace-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        try {
            execute(args);
        } catch (java.io.IOException e) {
            System.err.println("migtrace-bench: " + (e instanceof java.nio.file.NoSuchFileException
                    ? e.getMessage() + ": no such file or directory" : e.getMessage()));
            System.exit(3);
        }
    }

    private static void execute(Args args) throws Exception {
        if (args.scale()) {
            ScaleRun.runAndWrite(args.quick(), args.doc(), args.results().resolve("scale"));
            return;
        }
        Path results = args.from();
        if (results == null) {
            results = args.results();
            run(args.quick() ? Plan.Profile.QUICK : Plan.Profile.FULL, results);
        }
        String figures = Figures.markdown(results);
        System.out.println();
        System.out.print(figures);
        if (args.doc() != null) {
            DocSection.replace(args.doc(), Figures.SECTION, figures);
            System.out.println("\nwrote the figures into " + args.doc());
        }
    }

    /** Runs every suite of {@code profile}, its JSON results into {@code results} (emptied first). */
    static void run(Plan.Profile profile, Path results) throws Exception {
        long t0 = System.nanoTime();
        Dirs.delete(results);
        Files.createDirectories(results);
        Path analyzeTrace = null;
        if (profile == Plan.Profile.FULL) {
            // written once here rather than in each of the analyze benchmarks' two forks
            analyzeTrace = results.resolve("analyze-trace");
            System.out.printf("writing the %,d-event trace of %s ...%n", Plan.ANALYZE_EVENTS,
                    AnalyzeBenchmark.class.getSimpleName());
            AnalyzeSpeed.write(analyzeTrace, Plan.ANALYZE_EVENTS);
        }
        List<String> failed = new ArrayList<>();
        try {
            for (Plan.Suite suite : Plan.suites(profile, results, analyzeTrace)) {
                try {
                    new Runner(suite.options().shouldFailOnError(true).build()).run();
                } catch (RunnerException e) {
                    failed.add(suite.benchmark().getSimpleName() + ": " + e.getMessage());
                }
            }
        } finally {
            Dirs.delete(analyzeTrace);
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException("benchmarks failed: " + String.join("; ", failed));
        }
        Figures.writeRunInfo(results, profile, LocalDate.now(ZoneOffset.UTC).toString(), (System.nanoTime() - t0) / 1e9);
    }
}
