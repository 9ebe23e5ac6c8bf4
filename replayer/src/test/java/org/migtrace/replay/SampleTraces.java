package org.migtrace.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;

/** Recordings of built-in scenarios, made once per test JVM: the sample traces replays run on. */
final class SampleTraces {
    /** The built-in scenarios small enough to record and replay in a unit test. */
    static final java.util.List<String> NAMES = java.util.List.of("nic-converges", "iommufd-hugepages",
            "two-devices-p2p", "vf-no-dirty-tracking", "v1-legacy");

    /** A hand-driven trace of the protocol's edges (see {@link EdgeTrace}). */
    static final String EDGES = "edges";
    /** The IOMMUFD edge trace (see {@link EdgeTrace#recordIommufd}). */
    static final String EDGES_IOMMUFD = "edges-iommufd";

    /** Every sample trace: the recorded scenarios and the edges. */
    static final java.util.List<String> ALL = java.util.stream.Stream.concat(NAMES.stream(),
            java.util.stream.Stream.of(EDGES, EDGES_IOMMUFD)).toList();

    private static final Map<String, Path> TRACES = new TreeMap<>();
    private static Path root;

    private SampleTraces() {
    }

    static synchronized Path of(String scenario) {
        return TRACES.computeIfAbsent(scenario, s -> {
            try {
                if (root == null) {
                    root = Files.createTempDirectory("migtrace-replay-samples");
                    root.toFile().deleteOnExit();
                }
                Path dir = root.resolve(s);
                if (s.equals(EDGES)) {
                    EdgeTrace.record(dir);
                } else if (s.equals(EDGES_IOMMUFD)) {
                    EdgeTrace.recordIommufd(dir);
                } else {
                    Recording.of(ScenarioLoader.builtIn(s)).to(dir);
                }
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ScenarioException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
