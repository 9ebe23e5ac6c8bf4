package org.migtrace.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --scenario NAME|FILE} and {@code --seed N}, for every command that runs a simulated migration. */
public final class ScenarioOptions {

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

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * The scenario: a built-in, or a file. A name that is neither is a usage error (it is what was
     * typed); a file that cannot be read or parsed is bad input, named with its line.
     */
    public Scenario load() throws MigtraceException {
        return load(scenario, mixee.commandLine());
    }

    /** {@link #load()} for a {@code --scenario} value given to the command line {@code cmd}. */
    public static Scenario load(String scenario, picocli.CommandLine cmd) throws MigtraceException {
        if (!ScenarioLoader.BUILT_IN.contains(scenario) && !Files.exists(Path.of(scenario))) {
            throw new ParameterException(cmd, "Unknown scenario '" + scenario
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

    /** The seed: {@code --seed}, else the scenario's own. */
    public long seed(Scenario s) {
        return seed != null ? seed : s.seed();
    }
}
