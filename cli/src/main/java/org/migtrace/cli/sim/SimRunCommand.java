package org.migtrace.cli.sim;

import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ScenarioOptions;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code migtrace sim run}: migrate a scenario's guest on the simulated stack and print the
 * per-iteration table and the verdict. Exit 0 when it converged, 1 when it did not or failed.
 */
@Command(
        name = "run",
        header = "Run a simulated migration; print its iterations and verdict.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace sim run --scenario gpu-no-converge --seed 7",
            "  migtrace sim run --scenario my-host.yaml --format csv",
        },
        description = {
            "Run a live migration of a scenario on the simulated stack (two hosts, QEMU-like VMMs, the "
                    + "kernel model) and print one row per dirty-bitmap sync and the verdict.",
            "Built-in scenarios: nic-converges, gpu-no-converge, vf-no-dirty-tracking, two-devices-p2p, "
                    + "v1-legacy, iommufd-hugepages, tiny-1tib.",
            "Exit status 0 when the migration converged, 1 when it did not converge or failed.",
        })
public final class SimRunCommand implements Callable<Integer> {

    @Mixin
    ScenarioOptions scenario;

    @Mixin
    FormatMixin format;

    @Mixin
    ShowsProgress progress;

    @Mixin
    HelpMixin help;

    @Override
    public Integer call() throws MigtraceException {
        Scenario s = scenario.load();
        RunReport report = Simulation.of(s, scenario.seed(s)).run(new IterationProgress(s, progress.hook()));
        RunOutput.print(report, format.format(), format.out());
        return report.verdict().converged() ? ExitCode.OK.status() : ExitCode.FINDINGS.status();
    }
}
