package org.migtrace.cli.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.analysis.Analysis;
import org.migtrace.analysis.HtmlReport;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.analysis.SideBySide;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.output.Table;
import org.migtrace.cli.sim.RunOutput;
import org.migtrace.cli.trace.RecordCommand;
import org.migtrace.recorder.Recording;
import org.migtrace.replay.DivergenceTable;
import org.migtrace.replay.ReplayResult;
import org.migtrace.replay.ReplaySummary;
import org.migtrace.replay.Replayer;
import org.migtrace.replay.Targets;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.uapi.MigtraceException.ErrorCode;
import org.migtrace.uapi.MigtraceException;

/**
 * What {@code migtrace demo} does, step by step, through the same library calls as {@code record},
 * {@code replay}, {@code analyze} and {@code report}. The two scenarios are the ones behind
 * sample-traces/ (small guests, so the whole demo takes seconds, not minutes), packaged into the jar
 * from sample-traces/scenarios/.
 */
final class Demo {
    /** Does not converge: a device's DMA dirties memory as fast as the link sends it. */
    static final String NO_CONVERGE = "gpu-no-converge";
    /** Converges, and reports dirty pages with DMA logging: what {@link #BUG} gets wrong. */
    static final String CONVERGES = "nic-converges";
    /** A report that does not clear (libvfio-user #526): the NIC's bitmaps grow instead of shrinking. */
    static final String BUG = "no-clear-report";
    static final String REPORT = "report.html";
    private static final int STEPS = 5;

    private final Path dir;
    private final PrintWriter out;
    /** Each step's outcome, one row per trace it made or looked at: what {@link #summary()} lists. */
    private final Table.Builder steps = Table.builder(Column.right("step"), Column.left("action"), Column.left("trace"),
            Column.left("target"), Column.left("result"));

    /** @param out where the steps are told as they run (a command that prints {@link #summary()} instead discards it) */
    Demo(Path dir, PrintWriter out) {
        this.dir = dir;
        this.out = out;
    }

    /** What the demo did, for {@code --format}: where, each step's outcome, the report. */
    Summary summary() {
        return new Summary().put("dir", dir.toString()).put("report", dir.resolve(REPORT).toString())
                .rows("steps", steps.build());
    }

    void run() throws MigtraceException, IOException {
        say("migtrace demo: writing into " + dir);
        Path gpu = record(1, NO_CONVERGE);
        Path nic = record(2, CONVERGES);
        Targets targets = Targets.builtIn();
        try {
            replay(3, nic, targets.get(KernelTargetFactory.NAME), null);
            replay(4, nic, targets.get(BUG), dir.resolve("replay-" + BUG));
        } finally {
            targets.close();
        }
        analyze(5, List.of(gpu, nic), gpu);
        say("");
        say("report: " + dir.resolve(REPORT) + " (" + NO_CONVERGE + "; open it in a browser)");
        say("next:   migtrace analyze " + nic);
        say("        migtrace sql " + gpu + " \"SELECT iteration, pending_bytes, decision FROM convergence\"");
        say("        migtrace replay " + nic + " --target " + BUG);
    }

    private Path record(int step, String name) throws MigtraceException, IOException {
        Scenario s = scenario(name);
        Path trace = dir.resolve(name);
        RunReport report = Recording.of(s).seed(s.seed())
                .command("migtrace record --scenario " + s.name() + " --seed " + s.seed() + " -o " + trace)
                .to(trace);
        String verdict = RunOutput.verdictLine(report.verdict());
        say("[" + step + "/" + STEPS + "] recorded " + name + " into " + trace + ": " + RecordCommand.rows(trace));
        say("      " + verdict);
        steps.row(step, "record", trace.toString(), null, verdict);
        return trace;
    }

    private void replay(int step, Path trace, ReplayTargetFactory target, Path divergencesDir)
            throws MigtraceException, IOException {
        ReplayResult r = Replayer.replay(trace, target, null);
        String what = "[" + step + "/" + STEPS + "] replayed " + trace.getFileName() + " on " + target.name() + ": ";
        String compared = r.compared() + " calls compared, ";
        if (!r.diverged()) {
            say(what + compared + "no divergence");
            steps.row(step, "replay", trace.toString(), target.name(), compared + "no divergence");
            return;
        }
        DivergenceTable.write(divergencesDir, r.divergences());
        String found = r.divergences().size() + " divergences";
        String first = "first at #" + r.divergences().get(0).seq() + ": " + ReplaySummary.describe(r.divergences().get(0));
        say(what + compared + found + " (all in " + divergencesDir.resolve(DivergenceTable.FILE) + ")");
        say("      target: " + target.description());
        say("      " + first);
        steps.row(step, "replay", trace.toString(), target.name(), compared + found + "; " + first);
    }

    /** Analyzes {@code traces} side by side; the HTML report is {@code reportOf}'s, the one with something to show. */
    private void analyze(int step, List<Path> traces, Path reportOf) throws MigtraceException, IOException {
        List<Analysis> analyses = new ArrayList<>();
        for (Path t : traces) {
            try (TraceDatabase d = TraceDatabase.load(t, null)) {
                analyses.add(Analysis.of(d));
                if (t.equals(reportOf)) {
                    Files.write(dir.resolve(REPORT), HtmlReport.bytes(d));
                }
            }
        }
        say("[" + step + "/" + STEPS + "] analyzed both, side by side (migtrace analyze " + traces.get(0) + " "
                + traces.get(1) + "):");
        for (Analysis a : analyses) {
            String result = a.verdictLines().get(0).strip() + "; violations: " + violations(a);
            say("      " + a.trace().getFileName() + ": " + result);
            steps.row(step, "analyze", a.trace().toString(), null, result);
        }
        say("");
        SideBySide.print(analyses, out);
        out.flush();
    }

    /** {@code none}, or each fired rule with its count ({@code MIG-TRK-003 x4}). */
    private static String violations(Analysis a) {
        Map<String, Integer> byRule = new TreeMap<>();
        a.violations().values("rule_id").forEach(id -> byRule.merge(String.valueOf(id), 1, Integer::sum));
        if (byRule.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        byRule.forEach((id, n) -> parts.add(id + " x" + n));
        return String.join(", ", parts);
    }

    /** One of the demo's scenarios, packaged from sample-traces/scenarios/. */
    static Scenario scenario(String name) throws MigtraceException {
        String resource = "scenarios/" + name + ".yaml";
        try (InputStream in = Demo.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new MigtraceException(ErrorCode.INTERNAL, "the demo's scenario " + resource
                        + " is not in the jar (built without sample-traces/scenarios?)");
            }
            return ScenarioLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name + ".yaml");
        } catch (IOException | ScenarioException e) {
            throw new MigtraceException(ErrorCode.INTERNAL, "the demo's scenario " + resource + " does not load: "
                    + e.getMessage(), e);
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
