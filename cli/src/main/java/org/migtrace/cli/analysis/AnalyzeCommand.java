package org.migtrace.cli.analysis;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.migtrace.analysis.Analysis;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.trace.WorkProgress;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migtrace analyze TRACE...}: the verdict, the iteration table and the violations. */
@Command(
        name = "analyze",
        header = "Convergence verdict, iterations and rule violations of traces.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace analyze runs/nic",
            "  migtrace analyze runs/before runs/after --format markdown",
        },
        description = {
            "Analyze traces: the convergence verdict (converged at iteration k, or why not and what bandwidth or "
                    + "downtime limit would make it converge), the pre-copy iteration table by QEMU's definitions, "
                    + "and the protocol violations (docs/rules.md). Several traces are compared side by side.",
            "With a replay's output (--replay OUT, or a divergences.arrow in the trace directory), its divergences "
                    + "too, each with the device's state at the call.",
            "Exit status 1 when a migration did not converge, a rule above severity info fired or the replay "
                    + "diverged."
        })
public final class AnalyzeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", arity = "1..*", description = "Trace directories (two or more: side by side).")
    List<Path> traces;

    @Mixin
    FormatMixin format;

    @Mixin
    ShowsProgress progress;

    @Mixin
    DbOption db;

    @Mixin
    ReplayOption replay;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        if (db.file() != null && traces.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--db takes one trace (got " + traces.size() + ")");
        }
        if (replay.path() != null && traces.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--replay takes one trace (got " + traces.size() + ")");
        }
        List<Analysis> analyses = new ArrayList<>();
        for (Path t : traces) {
            // each trace an equal share of the bar: its load the first half, its analysis the second
            WorkProgress share = progress.hook().part((double) analyses.size() / traces.size(),
                    (double) (analyses.size() + 1) / traces.size());
            try (TraceDatabase d = TraceDatabase.load(t, db.file(), replay.path(), share.part(0, 0.5))) {
                analyses.add(Analysis.of(d, share.part(0.5, 1)));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (analyses.size() == 1) {
            AnalysisOutput.one(analyses.get(0), format.format(), out);
        } else {
            AnalysisOutput.sideBySide(analyses, format.format(), out);
        }
        out.flush();
        boolean findings = analyses.stream().anyMatch(Analysis::hasFindings);
        return findings ? ExitCode.FINDINGS.status() : ExitCode.OK.status();
    }
}
