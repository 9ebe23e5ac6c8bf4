package org.migtrace.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.migtrace.replay.kernel.KernelTargetFactory;

class KernelReplayTest {
    @ParameterizedTest
    @FieldSource("org.migtrace.replay.SampleTraces#ALL")
    void recordedSimulationReplaysWithoutDivergenceOnTheReferenceModel(String scenario) throws Exception {
        ReplayResult r = Replayer.replay(SampleTraces.of(scenario), new KernelTargetFactory(), null);
        assertThat(r.divergences()).as(scenario).isEmpty();
        assertThat(r.compared()).isGreaterThan(5);
    }
}
