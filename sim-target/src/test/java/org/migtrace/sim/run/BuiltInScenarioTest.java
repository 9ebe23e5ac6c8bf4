package org.migtrace.sim.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.IterationStats.Decision;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.Sys;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.MigState;

/** Every built-in scenario migrated end to end: each ends as its name says, and the calls that matter happen. */
class BuiltInScenarioTest {
    static final long PAGES_8G = (8L << 30) >>> 12;

    @ParameterizedTest
    @FieldSource("org.migtrace.sim.scenario.ScenarioLoader#BUILT_IN")
    void noBuiltInLosesAWrite(String name) {
        RunReport r = Runs.builtIn(name).report();
        assertThat(r.lostPages()).isZero();
        assertThat(r.scenario()).isEqualTo(name);
    }

    @ParameterizedTest
    @FieldSource("org.migtrace.sim.scenario.ScenarioLoader#BUILT_IN")
    void aConvergedRunEndsWithTheGuestOnTheDestinationAndEveryDeviceRunningThere(String name) {
        RunReport r = Runs.builtIn(name).report();
        boolean shouldConverge = !name.equals("gpu-no-converge") && !name.equals("vf-no-dirty-tracking");
        assertThat(r.verdict().converged()).as(r.verdict().message()).isEqualTo(shouldConverge);
        assertThat(r.vmHost()).isEqualTo(shouldConverge ? "dst" : "src");
        if (shouldConverge) {
            assertThat(r.devices()).allSatisfy(d -> assertThat(d.destinationState()).isIn("RUNNING"));
            assertThat(r.downtimeNs()).isPositive();
        }
    }

    @Test
    void nicConvergesWithShrinkingPendingAndSwitchesOverWithinTheThreshold() {
        RunReport r = Runs.builtIn("nic-converges").report();
        List<IterationStats> passes = r.iterations().subList(1, r.iterations().size());
        assertThat(passes).hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < passes.size(); i++) {
            assertThat(passes.get(i).pendingBytes()).isLessThan(passes.get(i - 1).pendingBytes());
        }
        IterationStats last = passes.get(passes.size() - 1);
        assertThat(last.decision()).isEqualTo(Decision.SWITCHOVER);
        assertThat(last.pendingBytes()).isLessThanOrEqualTo(last.thresholdBytes());
        assertThat(last.thresholdBytes()).as("~1.25 GB/s x 300 ms").isBetween(360_000_000L, 375_000_000L);
        assertThat(r.verdict().iteration()).isEqualTo(last.iteration());
        assertThat(r.tracking()).containsExactly("type1:device-logging");
    }

    @Test
    void gpuNoConvergeEndsAtTheStepLimitWithTheDeviceBackToRunning() {
        Runs.Recorded run = Runs.builtIn("gpu-no-converge");
        RunReport r = run.report();
        assertThat(r.verdict().converged()).isFalse();
        assertThat(r.verdict().iteration()).isEqualTo(20);
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.DIRTY_RATE);
        assertThat(r.verdict().neededBandwidth()).isGreaterThan(1_250_000_000L);
        assertThat(r.iterations().get(r.iterations().size() - 1).decision()).isEqualTo(Decision.CANCEL);
        assertThat(run.recorder().lastState("src", "0000:86:00.4")).isEqualTo(MigState.RUNNING.value());
        assertThat(run.recorder().migration).last().isInstanceOf(MigrationEvent.Cancelled.class);
    }

    @Test
    void vfWithoutDirtyTrackingSeesEveryPageDirtyAtEverySync() {
        RunReport r = Runs.builtIn("vf-no-dirty-tracking").report();
        assertThat(r.iterations()).hasSize(11).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isEqualTo(PAGES_8G));
        assertThat(r.verdict().reason()).isEqualTo(Verdict.Reason.NO_DIRTY_TRACKING);
        assertThat(r.tracking()).containsExactly("type1:type1");
    }

    @Test
    void twoP2pDevicesAreBothQuiescedBeforeEitherStops() {
        List<DeviceStateEvent> src = Runs.builtIn("two-devices-p2p").recorder().states.stream()
                .filter(e -> e.host().equals("src")).toList();
        int firstStopCopy = -1;
        for (int i = 0; i < src.size() && firstStopCopy < 0; i++) {
            if (src.get(i).to() == MigState.STOP_COPY.value()) {
                firstStopCopy = i;
            }
        }
        assertThat(firstStopCopy).isPositive();
        TreeSet<String> quiesced = new TreeSet<>();
        for (DeviceStateEvent e : src.subList(0, firstStopCopy)) {
            if (e.to() == MigState.RUNNING_P2P.value() || e.to() == MigState.PRE_COPY_P2P.value()) {
                quiesced.add(e.device());
            }
        }
        assertThat(quiesced).containsExactly("0000:3b:00.1", "0000:3b:00.2");
    }

    @Test
    void theDestinationStartsBothDevicesThroughRunningP2p() {
        List<DeviceStateEvent> dst = Runs.builtIn("two-devices-p2p").recorder().states.stream()
                .filter(e -> e.host().equals("dst")).toList();
        int resumed = 0;
        while (dst.get(resumed).from() != MigState.RESUMING.value()) {
            resumed++; // RUNNING -> RESUMING at load setup passes RUNNING_P2P too
        }
        List<String> order = new ArrayList<>();
        for (DeviceStateEvent e : dst.subList(resumed, dst.size())) {
            if (e.to() == MigState.RUNNING_P2P.value() || (e.to() == MigState.RUNNING.value() && e.cause().equals("arc"))) {
                order.add(e.device() + ">" + MigState.of(e.to()).orElseThrow());
            }
        }
        assertThat(order).containsExactly("0000:3b:00.1>RUNNING_P2P", "0000:3b:00.2>RUNNING_P2P",
                "0000:3b:00.1>RUNNING", "0000:3b:00.2>RUNNING");
    }

    @Test
    void v1LegacyTalksToTheMigrationRegionAndNeverUsesTheV2Feature() {
        RunRecorder rec = Runs.builtIn("v1-legacy").recorder();
        assertThat(rec.calls).anySatisfy(c -> {
            assertThat(c.sys()).isEqualTo(Sys.PREAD64);
            assertThat(c.fdKind()).isEqualTo(FdKind.DEVICE);
        });
        assertThat(rec.calls).anySatisfy(c -> {
            assertThat(c.sys()).isEqualTo(Sys.PWRITE64);
            assertThat(c.fdKind()).isEqualTo(FdKind.DEVICE);
        });
        assertThat(rec.calls).noneMatch(c -> c.feature() == DeviceFeature.MIG_DEVICE_STATE.index());
        assertThat(rec.ioctls("src", "VFIO_IOMMU_DIRTY_PAGES")).isNotEmpty();
        assertThat(Runs.builtIn("v1-legacy").report().devices().get(0).stopCopyBytes()).isEqualTo(64L << 20);
    }

    @Test
    void v1LegacyPinsItsHotSetSoType1ReportsOnlyThePinnedPages() {
        RunReport r = Runs.builtIn("v1-legacy").report();
        long hotSet = (long) Math.floor(0.01 * PAGES_8G);
        assertThat(r.iterations()).allSatisfy(s -> assertThat(s.dirtyPagesDevice()).isEqualTo(hotSet));
    }

    @Test
    void iommufdHugepagesReadsHardwareDirtyBitsInWholeHugePages() {
        Runs.Recorded run = Runs.builtIn("iommufd-hugepages");
        assertThat(run.recorder().ioctls("src", "IOMMU_HWPT_GET_DIRTY_BITMAP")).isNotEmpty();
        assertThat(run.recorder().ioctls("src", "VFIO_IOMMU_DIRTY_PAGES")).isEmpty();
        assertThat(run.recorder().ioctls("src", "IOMMU_HWPT_ALLOC")).hasSize(1);
        List<IterationStats> passes = run.report().iterations().subList(1, run.report().iterations().size());
        assertThat(passes).allSatisfy(s -> {
            assertThat(s.dirtyPagesDevice()).isPositive();
            assertThat(s.dirtyPagesDevice() % 512).as("2 MiB IOPTEs").isZero();
        });
        assertThat(run.report().tracking()).containsExactly("iommufd:iommufd");
    }

    @Test
    void aTerabyteGuestMigratesCompletely() {
        RunReport r = Runs.builtIn("tiny-1tib").report();
        assertThat(r.ramBytes()).isGreaterThanOrEqualTo(1L << 40);
        assertThat(r.iterations().get(0).pendingBytes()).isEqualTo(1L << 40);
    }

    @Test
    void migrationEventsComeInOrderFromTheSource() {
        List<MigrationEvent> events = Runs.builtIn("nic-converges").recorder().migration;
        assertThat(events.get(0)).isInstanceOf(MigrationEvent.Setup.class);
        assertThat(events.get(events.size() - 2)).isInstanceOf(MigrationEvent.Switchover.class);
        assertThat(events.get(events.size() - 1)).isInstanceOf(MigrationEvent.Completed.class);
        assertThat(events).allSatisfy(e -> assertThat(e.host()).isEqualTo("src"));
        long iterations = events.stream().filter(e -> e instanceof MigrationEvent.Iteration).count();
        assertThat(iterations).isEqualTo(Runs.builtIn("nic-converges").report().iterations().size());
    }

    @Test
    void qemuRunsAsQemuNamesItsThreads() {
        RunRecorder rec = Runs.builtIn("nic-converges").recorder();
        assertThat(rec.calls.stream().map(RunRecorder.Call::comm).distinct())
                .containsExactlyInAnyOrder("qemu-system-x86", "live_migration");
        assertThat(rec.ioctls("src", "VFIO_DEVICE_FEATURE")).anyMatch(c -> c.comm().equals("live_migration"));
    }
}
