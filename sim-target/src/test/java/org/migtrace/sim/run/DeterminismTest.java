package org.migtrace.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A scenario and a seed decide the run; another seed gives another run. */
class DeterminismTest {
    @Test
    void theSameSeedGivesTheSameRunCallForCall() throws Exception {
        RunRecorder a = new RunRecorder();
        RunRecorder b = new RunRecorder();
        RunReport ra = Simulation.of(TestScenarios.small()).run(a);
        RunReport rb = Simulation.of(TestScenarios.small()).run(b);
        assertThat(rb).isEqualTo(ra);
        assertThat(b.calls).isEqualTo(a.calls);
        assertThat(b.states).isEqualTo(a.states);
        assertThat(ra.verdict().converged()).isTrue();
    }

    @Test
    void anotherSeedGivesOtherNumbers() throws Exception {
        RunReport a = Simulation.of(TestScenarios.small()).run();
        RunReport b = Simulation.of(TestScenarios.small(), 4).run();
        assertThat(a.seed()).isEqualTo(3);
        assertThat(b.seed()).isEqualTo(4);
        assertThat(b.iterations()).isNotEqualTo(a.iterations());
    }
}
