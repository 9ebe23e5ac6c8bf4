package org.migtrace.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;

/** A scenario and a seed decide the run; another seed gives another run. */
class DeterminismTest {
    static Scenario small() throws Exception {
        return ScenarioLoader.parse("""
                name: small
                seed: 3
                guest: {memory: 2GiB}
                devices:
                  - name: 0000:3b:00.1
                    driver: mlx5-vf
                    state-size: 8MiB
                    precopy-initial: 4MiB
                    state-dirty-rate: 1MB/s
                    dma: {pattern: zipf, rate: 3000 pages/s}
                cpu-workload: {pattern: uniform, rate: 20000 pages/s}
                migration: {bandwidth: 5Gbit/s}
                """, "small.yaml");
    }

    @Test
    void theSameSeedGivesTheSameRunCallForCall() throws Exception {
        RunRecorder a = new RunRecorder();
        RunRecorder b = new RunRecorder();
        RunReport ra = Simulation.of(small()).run(a);
        RunReport rb = Simulation.of(small()).run(b);
        assertThat(rb).isEqualTo(ra);
        assertThat(b.calls).isEqualTo(a.calls);
        assertThat(b.states).isEqualTo(a.states);
        assertThat(ra.verdict().converged()).isTrue();
    }

    @Test
    void anotherSeedGivesOtherNumbers() throws Exception {
        RunReport a = Simulation.of(small()).run();
        RunReport b = Simulation.of(small(), 4).run();
        assertThat(a.seed()).isEqualTo(3);
        assertThat(b.seed()).isEqualTo(4);
        assertThat(b.iterations()).isNotEqualTo(a.iterations());
    }
}
