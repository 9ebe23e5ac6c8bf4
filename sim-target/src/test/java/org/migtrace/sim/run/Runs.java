package org.migtrace.sim.run;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;

/** Each built-in scenario run once per test JVM with a recorder attached, shared by the tests that look at it. */
final class Runs {
    /** A run's report and what the recorder saw. */
    record Recorded(RunReport report, RunRecorder recorder) {
    }

    private static final Map<String, Recorded> CACHE = new TreeMap<>();

    private Runs() {
    }

    static synchronized Recorded builtIn(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            RunRecorder rec = new RunRecorder();
            try {
                return new Recorded(Simulation.of(ScenarioLoader.builtIn(n)).run(rec), rec);
            } catch (ScenarioException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
