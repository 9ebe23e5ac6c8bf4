package org.migtrace.sim.run;

import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;

/** Small scenarios (2 GiB guests) that migrate in a fraction of a second of wall time. */
final class TestScenarios {
    private TestScenarios() {
    }

    /** An mlx5 VF with 8 MiB of state (4 MiB pre-copy initial) as a YAML list entry, plus {@code more} lines. */
    private static String nic(String name, String... more) {
        StringBuilder b = new StringBuilder("  - name: " + name + "\n    driver: mlx5-vf\n    state-size: 8MiB\n"
                + "    precopy-initial: 4MiB\n");
        for (String m : more) {
            b.append("    ").append(m).append('\n');
        }
        return b.toString();
    }

    /** One mlx5 VF with a zipf DMA workload under a uniform CPU workload; converges. */
    static Scenario small() throws Exception {
        return ScenarioLoader.parse("name: small\nseed: 3\nguest: {memory: 2GiB}\ndevices:\n"
                + nic("0000:3b:00.1", "state-dirty-rate: 1MB/s", "dma: {pattern: zipf, rate: 3000 pages/s}")
                + "cpu-workload: {pattern: uniform, rate: 20000 pages/s}\nmigration: {bandwidth: 5Gbit/s}\n",
                "small.yaml");
    }

    /** Two mlx5 VFs on a small guest; {@code faults} (a YAML list) goes under the first device. */
    static Scenario twoNics(String faults) throws Exception {
        return ScenarioLoader.parse("name: faulty\nseed: 9\nguest: {memory: 2GiB}\ndevices:\n"
                + nic("0000:3b:00.1", "faults: " + faults, "dma: {pattern: hot-set, fraction: 0.01, rate: 2000 pages/s}")
                + nic("0000:3b:00.2")
                + "cpu-workload: {pattern: hot-set, fraction: 0.02, rate: 5000 pages/s}\n"
                + "migration: {bandwidth: 10Gbit/s}\n", "faulty.yaml");
    }
}
