package org.migtrace.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.scenario.ScenarioLoader;

/** Recorded runs of the built-in scenarios, made once per test JVM. */
final class SampleTraces {

    private static final Map<String, Path> RECORDED = new TreeMap<>();
    private static Path root;

    private SampleTraces() {
    }

    static synchronized Path of(String scenario) {
        return RECORDED.computeIfAbsent(scenario, name -> {
            try {
                if (root == null) {
                    root = Files.createTempDirectory("migtrace-analysis-samples");
                    root.toFile().deleteOnExit();
                }
                Path dir = root.resolve(name);
                Recording.of(ScenarioLoader.builtIn(name)).to(dir);
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
