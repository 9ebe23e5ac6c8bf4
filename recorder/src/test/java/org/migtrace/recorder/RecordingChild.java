package org.migtrace.recorder;

import java.nio.file.Path;
import org.migtrace.sim.scenario.ScenarioLoader;

/** A child JVM for the kill test: records a built-in scenario into a directory until killed. */
public final class RecordingChild {
    private RecordingChild() {
    }

    /** {@code RecordingChild SCENARIO DIR}. */
    public static void main(String[] args) throws Exception {
        Recording.of(ScenarioLoader.builtIn(args[0])).to(Path.of(args[1]));
    }
}
