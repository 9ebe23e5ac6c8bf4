package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.scenario.ScenarioLoader;

/** The same scenario and seed give the same rows, runs and iteration rows; another seed does not. */
class DeterminismTest {

    @Test
    void recordingTwiceGivesIdenticalRows() throws Exception {
        MemorySink first = new MemorySink();
        MemorySink second = new MemorySink();
        Recording recording = Recording.of(ScenarioLoader.builtIn("two-devices-p2p"));

        recording.run(first);
        recording.run(second);

        assertThat(second.rows).isEqualTo(first.rows);
        assertThat(second.runs).isEqualTo(first.runs);
        assertThat(second.iterations).isEqualTo(first.iterations);
    }

    @Test
    void anotherSeedGivesAnotherRecording() throws Exception {
        MemorySink first = new MemorySink();
        MemorySink other = new MemorySink();
        Recording recording = Recording.of(ScenarioLoader.builtIn("v1-legacy"));

        recording.run(first);
        recording.seed(recording.seed() + 1).run(other);

        assertThat(other.runs).isNotEqualTo(first.runs);
    }
}
