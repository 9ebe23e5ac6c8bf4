package org.migtrace.benchmarks.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.migtrace.benchmarks.Captures;
import org.migtrace.cli.Main;
import org.migtrace.recorder.Dirs;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedTrace;

/**
 * The scale run: a scenario recorded, replayed on {@code kernel} and analyzed, each step a
 * {@code migtrace} command in a child JVM under a fixed heap ({@link ChildJvm}), with its wall time
 * and peak RSS. {@link Size#FULL} is issue 8's: a 1 TiB guest, two devices, 30 pre-copy iterations
 * (scale-1tib.yaml) under {@code -Xmx2g}; {@link Size#SMALL} the same shape at 64 GiB under a heap
 * a reader holding every row could not fit in (the memory-bound test in {@code mvn verify}).
 */
public final class ScaleRun {
    static final String SECTION = "scale-figures";

    /** The scenario (a resource next to this class's package) and the heap limit. */
    public enum Size {
        FULL("scale-1tib.yaml", "2g"),
        SMALL("scale-64gib.yaml", "96m");

        final String scenario;
        final String heap;

        Size(String scenario, String heap) {
            this.scenario = scenario;
            this.heap = heap;
        }
    }

    /** One command of the pipeline and how it ended. */
    public record Step(String command, ChildJvm.Exit exit) {
        boolean succeeded() {
            if (exit.outOfMemory()) {
                return false;
            }
            try {
                return exit.exit() == 0
                        || exit.exit() == 1 && command.startsWith("analyze") && Files.size(exit.stderr()) == 0;
            } catch (IOException e) {
                return false;
            }
        }
    }

    /**
     * The pipeline's result.
     *
     * @param steps the commands, in order
     * @param trace the recorded trace directory
     * @param tables the trace's tables with their row counts
     * @param bytes the trace's size on disk
     */
    public record Result(Size size, List<Step> steps, Path trace, List<Manifest.TableInfo> tables, long bytes) {
        /**
         * The first step that did not end as it should: record and replay with 0, analyze with 0 or
         * with 1 and nothing on stderr (findings, not an error thrown to the top).
         */
        public java.util.Optional<Step> failed() {
            return steps.stream().filter(s -> !s.succeeded()).findFirst();
        }
    }

    private ScaleRun() {
    }

    /** Runs the pipeline, prints the figures and writes them into {@code doc} (when not null); the trace is deleted after. */
    static void runAndWrite(boolean quick, Path doc, Path work) throws Exception {
        Result r = run(quick ? Size.SMALL : Size.FULL, work);
        Dirs.delete(r.trace()); // 1.4 GiB at full size; the commands' output stays in work
        String figures = markdown(r);
        System.out.print(figures);
        java.util.Optional<Step> failed = r.failed();
        if (failed.isPresent()) {
            Step s = failed.get();
            throw new IllegalStateException("migtrace " + s.command() + " exited " + s.exit().exit()
                    + (s.exit().outOfMemory() ? " (out of memory)" : "") + "; see " + s.exit().stderr());
        }
        if (doc != null) {
            DocSection.replace(doc, SECTION, figures);
            System.out.println("\nwrote the figures into " + doc);
        }
    }

    /** Records, replays and analyzes {@code size}'s scenario in {@code work} (emptied first); stops at a failed step. */
    public static Result run(Size size, Path work) throws IOException, InterruptedException {
        Dirs.delete(work);
        Files.createDirectories(work);
        Path scenario = work.resolve(size.scenario);
        try (InputStream in = ScaleRun.class.getResourceAsStream("/org/migtrace/benchmarks/" + size.scenario)) {
            Files.copy(in, scenario);
        }
        Path trace = work.resolve("trace");
        List<Step> steps = new ArrayList<>();
        for (List<String> command : List.of(List.of("record", "--scenario", scenario.toString(), "-o", trace.toString()),
                List.of("replay", trace.toString()), List.of("analyze", trace.toString()))) {
            String name = command.get(0);
            ChildJvm.Exit exit = ChildJvm.run(size.heap, Main.class, command, work.resolve(name + ".out"),
                    work.resolve(name + ".err"));
            Step step = new Step(String.join(" ", command).replace(work + "/", ""), exit);
            steps.add(step);
            if (!step.succeeded()) {
                break;
            }
        }
        List<Manifest.TableInfo> tables = List.of();
        if (Files.exists(trace.resolve("manifest.json"))) {
            try (RecordedTrace t = RecordedTrace.open(trace)) {
                tables = t.manifest().tables();
            } catch (org.migtrace.trace.BadTraceException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        return new Result(size, steps, trace, tables, size(trace));
    }

    private static long size(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            long total = 0;
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(p);
            }
            return total;
        }
    }

    /** The section's Markdown. */
    static String markdown(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(Targets.fmt("Measured %s on %s.%n%n", java.time.LocalDate.now(java.time.ZoneOffset.UTC), Machine.describe()));
        b.append(Targets.fmt("The trace: %s; %.0f MiB of Arrow files.%n%n", tableCounts(r.tables()), r.bytes() / 1048576.0));
        b.append(Targets.fmt("| command (each `MIGTRACE_JAVA_OPTS=-Xmx%s bin/migtrace ...`) | wall time | peak RSS | exit |%n",
                r.size().heap));
        b.append("|---|---:|---:|---:|\n");
        for (Step s : r.steps()) {
            b.append(Targets.fmt("| `%s` | %.1f s | %.0f MiB | %d%s |%n", s.command(), s.exit().seconds(),
                    s.exit().peakRssMib(), s.exit().exit(), s.exit().outOfMemory() ? " (out of memory)" : ""));
        }
        return b.toString();
    }

    private static String tableCounts(List<Manifest.TableInfo> tables) {
        List<String> parts = new ArrayList<>();
        for (Manifest.TableInfo t : tables) {
            parts.add(Targets.fmt("%,d %s rows", t.rows(), t.name()));
        }
        return parts.isEmpty() ? "not written" : String.join(", ", parts);
    }
}
