package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.Recording;
import org.migtrace.replay.kernel.KernelTargetFactory;
import org.migtrace.sim.scenario.ScenarioLoader;

/** A 1 TiB guest's trace replays within the test JVM's 2 GiB heap (surefire's -Xmx2g), with no divergence. */
class LargeGuestReplayTest {
    @TempDir
    Path dir;

    @Test
    void aTebibyteGuestReplaysUnderTwoGibibytesOfHeap() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThanOrEqualTo(2L << 30);
        Path trace = dir.resolve("tiny-1tib");
        Recording.of(ScenarioLoader.builtIn("tiny-1tib")).to(trace);
        ReplayResult r = Replayer.replay(trace, new KernelTargetFactory(), null);
        assertThat(r.divergences()).isEmpty();
        assertThat(r.compared()).isGreaterThan(1000);
    }
}
