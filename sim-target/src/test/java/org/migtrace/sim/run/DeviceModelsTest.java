package org.migtrace.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.scenario.ScenarioLoader;

/** The other device models and options end to end, each on a small guest: no write lost, the expected tracking. */
class DeviceModelsTest {
    static final long PAGES_2G = (2L << 30) >>> 12;

    static RunReport run(String devices, String more) throws Exception {
        return Simulation.of(ScenarioLoader.parse("name: m\nseed: 2\nguest: {memory: 2GiB}\ndevices:\n" + devices
                + "cpu-workload: {pattern: hot-set, fraction: 0.02, rate: 5000 pages/s}\n"
                + "migration: {bandwidth: 10Gbit/s" + more + "}\n", "m.yaml")).run();
    }

    @Test
    void aPinningMdevOnType1IsReportedThroughItsPins() throws Exception {
        RunReport r = run("  - name: 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001\n    driver: mdev-pin\n"
                + "    dma: {pattern: hot-set, fraction: 0.05, rate: 3000 pages/s}\n", "");
        assertThat(r.verdict().converged()).as(r.verdict().message()).isTrue();
        assertThat(r.lostPages()).isZero();
        assertThat(r.tracking()).containsExactly("type1:type1");
        long hot = (long) Math.floor(0.05 * PAGES_2G);
        assertThat(r.iterations()).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isEqualTo(hot));
    }

    @Test
    void mttyLogsNothingAndMigratesOnDeviceLogging() throws Exception {
        RunReport r = run("  - name: 83b8f4f2-509f-382f-3c1e-e6bfe0fa1002\n    driver: mtty\n", "");
        assertThat(r.verdict().converged()).as(r.verdict().message()).isTrue();
        assertThat(r.tracking()).containsExactly("type1:device-logging");
        assertThat(r.iterations()).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isZero());
        assertThat(r.devices().get(0).stopCopyBytes()).isPositive();
    }

    @Test
    void anAcceleratorOnType1IsTrackedByTheContainerAsAllDirty() throws Exception {
        RunReport r = run("  - {name: 0000:75:00.1, driver: hisi-acc-vf, dma: {rate: 100 pages/s}}\n",
                ", max-iterations: 3");
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.NO_DIRTY_TRACKING);
        assertThat(r.iterations()).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isEqualTo(PAGES_2G));
        assertThat(r.lostPages()).isZero();
    }

    @Test
    void qemu9SwitchesOverOnlyBelowTheThreshold() throws Exception {
        RunReport r = run("  - {name: 0000:3b:00.1, driver: mlx5-vf, state-size: 8MiB}\n", ", qemu-version: \"9.2\"");
        IterationStats last = r.iterations().get(r.iterations().size() - 1);
        assertThat(last.pendingBytes()).isLessThan(last.thresholdBytes());
        assertThat(r.verdict().converged()).isTrue();
    }

    @Test
    void switchoverAckWaitsForTheInitialBytes() throws Exception {
        RunReport r = run("  - {name: 0000:3b:00.1, driver: mlx5-vf, state-size: 8MiB, precopy-initial: 8MiB}\n",
                ", switchover-ack: true");
        assertThat(r.verdict().converged()).isTrue();
        assertThat(r.devices().get(0).precopyBytes()).isGreaterThanOrEqualTo(8L << 20);
    }

    @Test
    void withoutAnyTrackingEverySyncMarksAllRam() throws Exception {
        RunReport r = Simulation.of(ScenarioLoader.parse("""
                name: none
                guest: {memory: 2GiB}
                iommu: {backend: iommufd, dirty-tracking: false}
                devices:
                  - {name: 0000:3b:00.1, driver: mlx5-vf, dirty-tracking: none}
                migration: {max-iterations: 2}
                """, "none.yaml")).run();
        assertThat(r.tracking()).containsExactly("iommufd:none");
        assertThat(r.iterations()).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isEqualTo(PAGES_2G));
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.NO_DIRTY_TRACKING);
    }
}
