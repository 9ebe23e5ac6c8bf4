package org.migtrace.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.uapi.MigState;

/** Device faults, migration blockers: the migration fails the way QEMU fails it and the guest runs on at the source. */
class FailureTest {
    static final String NIC1 = "0000:3b:00.1";
    static final String NIC2 = "0000:3b:00.2";

    @Test
    void aFailedStopCopyArcFailsTheMigrationAndBothDevicesRunAgainOnTheSource() throws Exception {
        RunRecorder rec = new RunRecorder();
        RunReport r = Simulation.of(TestScenarios.twoNics("[\"PRE_COPY_P2P>STOP_COPY:EIO:error\"]")).run(rec);
        Verdict v = r.verdict();
        assertThat(v.converged()).isFalse();
        assertThat(v.reason()).isEqualTo(Verdict.Reason.DEVICE_ERROR);
        assertThat(v.device()).isEqualTo(NIC1);
        assertThat(v.operation()).isEqualTo("PRE_COPY_P2P>STOP_COPY");
        assertThat(v.errno()).isEqualTo("EIO");
        assertThat(v.message()).contains("Resetting device");
        assertThat(r.vmHost()).isEqualTo("src");
        assertThat(rec.lastState("src", NIC1)).isEqualTo(MigState.RUNNING.value());
        assertThat(rec.lastState("src", NIC2)).isEqualTo(MigState.RUNNING.value());
        assertThat(r.devices()).allSatisfy(d -> assertThat(d.sourceState()).isEqualTo("RUNNING"));
        assertThat(rec.ioctls("src", "VFIO_DEVICE_RESET")).hasSize(1);
        assertThat(rec.migration).last().isInstanceOfSatisfying(MigrationEvent.Failed.class, f -> {
            assertThat(f.device()).isEqualTo(NIC1);
            assertThat(f.errno()).isEqualTo("EIO");
        });
    }

    @Test
    void theFailedDeviceWentThroughErrorAndResetWhileTheOtherReachedStopCopy() throws Exception {
        RunRecorder rec = new RunRecorder();
        Simulation.of(TestScenarios.twoNics("[\"PRE_COPY_P2P>STOP_COPY:EIO:error\"]")).run(rec);
        assertThat(rec.states).anySatisfy(e -> {
            assertThat(e.device()).isEqualTo(NIC1);
            assertThat(e.cause()).isEqualTo("reset");
        });
        assertThat(rec.states).anySatisfy(e -> {
            assertThat(e.device()).isEqualTo(NIC2);
            assertThat(e.to()).isEqualTo(MigState.STOP_COPY.value());
        });
    }

    @Test
    void aFailureEnteringPreCopyFailsAtSetupAndLeavesTheDeviceRunning() throws Exception {
        RunRecorder rec = new RunRecorder();
        RunReport r = Simulation.of(TestScenarios.twoNics("[\"RUNNING>PRE_COPY:ENOMEM\"]")).run(rec);
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.DEVICE_ERROR);
        assertThat(r.verdict().operation()).isEqualTo("RUNNING>PRE_COPY");
        assertThat(r.verdict().errno()).isEqualTo("ENOMEM");
        assertThat(r.verdict().iteration()).isZero();
        assertThat(r.iterations()).hasSize(1);
        assertThat(rec.states).as("the failed arc left it where it was")
                .noneMatch(e -> e.host().equals("src") && e.device().equals(NIC1));
        assertThat(r.devices().get(0).sourceState()).isEqualTo("RUNNING");
        assertThat(rec.ioctls("src", "VFIO_DEVICE_RESET")).isEmpty();
    }

    @Test
    void devicesWithoutP2pCannotMigrateTogether() throws Exception {
        Scenario s = ScenarioLoader.parse("""
                name: two-accelerators
                guest: {memory: 1GiB}
                devices:
                  - {name: 0000:75:00.1, driver: hisi-acc-vf}
                  - {name: 0000:75:00.2, driver: hisi-acc-vf}
                """, "two.yaml");
        RunReport r = Simulation.of(s).run();
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.BLOCKED);
        assertThat(r.verdict().message()).contains("only if all of them support P2P");
        assertThat(r.iterations()).isEmpty();
        assertThat(r.totalBytes()).isZero();
    }

    @Test
    void aDeviceWithoutMigrationSupportBlocksTheMigration() throws Exception {
        Scenario s = ScenarioLoader.parse("""
                name: plain
                guest: {memory: 1GiB}
                devices:
                  - {name: 0000:17:00.2, driver: plain-vf, features: []}
                """, "plain.yaml");
        RunReport r = Simulation.of(s).run();
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.BLOCKED);
        assertThat(r.verdict().message()).contains("0000:17:00.2").contains("ENOTTY");
    }
}
