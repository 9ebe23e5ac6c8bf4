package org.migtrace.cli.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace sim run}: migrate a scenario's guest on the simulated stack and print the
 * per-iteration table and the verdict. Exit 0 when it converged, 1 when it did not or failed.
 */
@Command(
        name = "run",
        description = {
            "Run a live migration of a scenario on the simulated stack (two hosts, QEMU-like VMMs, the "
                    + "kernel model) and print one row per dirty-bitmap sync and the verdict.",
            "Built-in scenarios: nic-converges, gpu-no-converge, vf-no-dirty-tracking, two-devices-p2p, "
                    + "v1-legacy, iommufd-hugepages, tiny-1tib.",
            "Exit status 0 when the migration converged, 1 when it did not converge or failed.",
        })
public final class SimRunCommand implements Callable<Integer> {

    @Option(
            names = "--scenario",
            required = true,
            paramLabel = "NAME|FILE",
            description = "A built-in scenario's name, or a scenario file (YAML, or JSON when it ends in .json).")
    String scenario;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "The seed of every random stream (default: the scenario's).")
    Long seed;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException {
        Scenario s = load();
        RunReport report = Simulation.of(s, seed != null ? seed : s.seed()).run();
        RunOutput.print(report, format.format(), format.out());
        return report.verdict().converged() ? ExitCode.OK.status() : ExitCode.FINDINGS.status();
    }

    /**
     * A built-in, or a file. A name that is neither is a usage error (it is what was typed); a file
     * that cannot be read or parsed is bad input, named with its line.
     */
    private Scenario load() throws MigtraceException {
        if (!ScenarioLoader.BUILT_IN.contains(scenario) && !Files.exists(Path.of(scenario))) {
            throw new ParameterException(spec.commandLine(), "Unknown scenario '" + scenario
                    + "': not a built-in (" + String.join(", ", ScenarioLoader.BUILT_IN) + ") and no such file");
        }
        try {
            return ScenarioLoader.resolve(scenario);
        } catch (ScenarioException e) {
            String where = e.column() > 0 ? " (column " + e.column() + ")" : "";
            String field = e.field().isEmpty() ? "" : e.field() + ": ";
            throw MigtraceException.badInput(e.source(), e.line(), field + e.problem() + where);
        }
    }
}
