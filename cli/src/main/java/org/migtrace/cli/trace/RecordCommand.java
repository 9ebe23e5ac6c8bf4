package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ScenarioOptions;
import org.migtrace.cli.sim.RunOutput;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace record --scenario NAME|FILE [--seed N] -o DIR}: run a simulated migration and
 * write its trace. Exit 0 once the trace is written, whatever the migration's verdict (which is
 * printed; {@code sim run} is the command whose exit status is the verdict).
 */
@Command(
        name = "record",
        description = {
            "Run a simulated migration (as 'sim run' does) and record every syscall, device state change, "
                    + "memory write and migration step into a trace directory (docs/trace-format.md).",
            "Exit status 0 when the trace was written, whether or not the migration converged.",
        })
public final class RecordCommand implements Callable<Integer> {

    @Mixin
    ScenarioOptions scenario;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "The trace directory to create (must not exist, or be empty).")
    Path output;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        Scenario s = scenario.load();
        TraceDirs.requireFresh(output);
        long seed = scenario.seed(s);
        Recording rec = Recording.of(s).seed(seed)
                .command("migtrace record --scenario " + s.name() + " --seed " + seed + " -o " + output);
        RunReport report;
        try {
            report = rec.to(output);
        } catch (FileAlreadyExistsException e) {
            throw TraceDirs.exists(e);
        }
        Manifest m = RecordedTrace.open(output).manifest();
        PrintWriter out = spec.commandLine().getOut();
        out.println("recorded " + s.name() + " (seed " + seed + ") into " + output + ": " + rows(m));
        out.println(RunOutput.verdictLine(report.verdict()));
        out.println("next: migtrace info " + output + "   |   migtrace verify " + output);
        return 0;
    }

    private static String rows(Manifest m) {
        StringBuilder sb = new StringBuilder();
        for (Manifest.TableInfo t : m.tables()) {
            sb.append(sb.length() > 0 ? ", " : "").append(t.rows()).append(' ').append(t.name().replace('_', ' '));
        }
        return sb.append(m.complete() ? "; capture complete" : "; capture did not finish").toString();
    }
}
