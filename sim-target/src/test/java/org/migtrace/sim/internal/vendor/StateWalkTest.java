package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.uapi.MigState.ERROR;
import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.migtrace.sim.vendor.ArcFault;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.sim.vmm.DeviceCalls.MigStateResult;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;
import org.migtrace.uapi.V2Fsm;

/**
 * Every (current, target) pair through {@code VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE}, under every
 * feature combination: the arcs walked, the state GET reports, the data fd, the EINVAL cases, and
 * ERROR's way out. The current state is reached by real SETs (ERROR through an injected fault).
 */
class StateWalkTest {
    static final int SC = MigrationFlag.STOP_COPY.bit();
    static final int P2P = MigrationFlag.P2P.bit();
    static final int PRE = MigrationFlag.PRE_COPY.bit();
    static final long S = 3 * 4096;
    /** The arcs that open a data session. */
    static final Set<String> OPENS = Set.of("RUNNING>PRE_COPY", "RUNNING_P2P>PRE_COPY_P2P", "STOP>STOP_COPY",
            "STOP>RESUMING");

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (int flags : new int[] {SC, SC | P2P, SC | PRE, SC | P2P | PRE}) {
            for (MigState from : MigState.values()) {
                if (from != ERROR && !from.supportedBy(flags)) {
                    continue;
                }
                for (MigState to : MigState.values()) {
                    out.add(Arguments.of(MigrationFlag.format(MigrationFlag.of(flags)), flags, from, to));
                }
            }
        }
        return out.stream();
    }

    static V2DeviceConfig config(VendorModel model, int flags, ArcFault... faults) {
        V2DeviceConfig.Builder b = V2DeviceConfig.builder(model).migrationFlags(flags).stopCopyBytes(S)
                .dirtyBytesPerSecond(4096);
        for (ArcFault f : faults) {
            b.fault(f);
        }
        return b.build();
    }

    /** Brings a fresh device to {@code from} by real SETs; a RESUMING device gets a complete stream. */
    static Rig at(VendorModel model, int flags, MigState from) {
        if (from == ERROR) {
            MigState firstHop = (flags & P2P) != 0 ? RUNNING_P2P : STOP;
            Rig rig = new Rig(config(model, flags, ArcFault.failsIntoError(RUNNING, firstHop, Errno.EIO)));
            assertThat(rig.calls.setState(STOP).ret()).isEqualTo(Errno.EIO.ret());
            assertThat(rig.state()).isEqualTo(ERROR);
            rig.clearEvents();
            return rig;
        }
        Rig rig = new Rig(config(model, flags));
        MigStateResult r = rig.calls.setState(from);
        assertThat(r.ret()).as("reaching %s", from).isZero();
        if (from == RESUMING) {
            byte[] stream = TestStreams.valid(rig, model);
            assertThat(rig.calls.writeAll(r.dataFd(), rig.put(stream), stream.length)).isEqualTo(stream.length);
        }
        rig.clearEvents();
        return rig;
    }

    @ParameterizedTest(name = "{0}: {2} -> {3}")
    @MethodSource("pairs")
    void setWalksTheKernelPathOneArcAtATime(String name, int flags, MigState from, MigState to) {
        Rig rig = at(VendorModel.MDEV_PIN, flags, from);
        MigStateResult r = rig.calls.setState(to);

        if (from == ERROR) {
            assertThat(r.ret()).isEqualTo(to == ERROR ? 0 : Errno.EINVAL.ret());
            assertThat(r.dataFd()).isEqualTo(-1);
            assertThat(rig.arcs()).isEmpty();
            assertThat(rig.state()).isEqualTo(ERROR);
            assertThat(rig.calls.reset()).isZero();
            assertThat(rig.state()).isEqualTo(RUNNING);
            assertThat(rig.causes()).containsExactly("reset");
            return;
        }
        V2Fsm.Walk walk = V2Fsm.walk(from, to, flags, V2Fsm.Kernel.CURRENT);
        assertThat(r.rawState()).as("the struct comes back as the user wrote it").isEqualTo(to.value());
        if (walk.outcome() != V2Fsm.Outcome.NEXT) {
            assertThat(r.ret()).isEqualTo(Errno.EINVAL.ret());
            assertThat(r.dataFd()).isEqualTo(-1);
            assertThat(rig.arcs()).isEmpty();
            assertThat(rig.state()).isEqualTo(from);
            return;
        }
        List<String> expected = new ArrayList<>();
        for (int i = 1; i < walk.states().size(); i++) {
            expected.add(walk.states().get(i - 1) + ">" + walk.states().get(i));
        }
        assertThat(r.ret()).isZero();
        assertThat(rig.arcs()).isEqualTo(expected);
        assertThat(rig.state()).isEqualTo(to);
        boolean opens = !expected.isEmpty() && OPENS.contains(expected.get(expected.size() - 1));
        if (opens) {
            assertThat(r.dataFd()).isGreaterThanOrEqualTo(3);
        } else {
            assertThat(r.dataFd()).isEqualTo(-1);
        }
    }

    static Stream<Arguments> realDrivers() {
        List<Arguments> out = new ArrayList<>();
        for (VendorModel m : new VendorModel[] {VendorModel.MLX5_VF, VendorModel.HISI_ACC_VF, VendorModel.MTTY}) {
            for (MigState from : MigState.values()) {
                if (from.supportedBy(m.defaultFlags())) {
                    for (MigState to : MigState.values()) {
                        out.add(Arguments.of(m, from, to));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @MethodSource("realDrivers")
    void eachDriverImplementsEveryArcItsFlagsReach(VendorModel model, MigState from, MigState to) {
        Rig rig = at(model, model.defaultFlags(), from);
        MigStateResult r = rig.calls.setState(to);
        V2Fsm.Walk walk = V2Fsm.walk(from, to, model.defaultFlags(), V2Fsm.Kernel.CURRENT);
        assertThat(r.ret()).isEqualTo(walk.outcome() == V2Fsm.Outcome.NEXT ? 0 : Errno.EINVAL.ret());
        assertThat(rig.state()).isEqualTo(walk.outcome() == V2Fsm.Outcome.NEXT ? to : from);
        assertThat(rig.arcs()).hasSize(walk.arcCount());
    }

    @Test
    void runningToStopCopyOnAP2pDeviceGoesThroughRunningP2pAndStopAndReturnsTheSaveFd() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC | P2P));
        MigStateResult r = rig.calls.setState(STOP_COPY);
        assertThat(r.ret()).isZero();
        assertThat(r.dataFd()).isGreaterThanOrEqualTo(3);
        assertThat(rig.arcs()).containsExactly("RUNNING>RUNNING_P2P", "RUNNING_P2P>STOP", "STOP>STOP_COPY");
    }

    @Test
    void withoutP2pRunningStopsDirectly() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC));
        assertThat(rig.calls.setState(STOP_COPY).ret()).isZero();
        assertThat(rig.arcs()).containsExactly("RUNNING>STOP", "STOP>STOP_COPY");
    }

    @Test
    void stopCopyToPreCopyIsRejectedAndTheDeviceStays() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC | P2P | PRE));
        assertThat(rig.calls.setState(STOP_COPY).ret()).isZero();
        rig.clearEvents();
        assertThat(rig.calls.setState(PRE_COPY).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setState(PRE_COPY_P2P).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.arcs()).isEmpty();
        assertThat(rig.state()).isEqualTo(STOP_COPY);
    }

    @Test
    void settingTheCurrentStateDoesNothingAndSucceeds() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC | PRE));
        MigStateResult r = rig.calls.setState(RUNNING);
        assertThat(r.ret()).isZero();
        assertThat(r.dataFd()).isEqualTo(-1);
        assertThat(rig.events).isEmpty();
    }

    @Test
    void aStateTheDeviceLacksIsRejected() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC));
        assertThat(rig.calls.setState(RUNNING_P2P).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setState(PRE_COPY).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setState(8).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.state()).isEqualTo(RUNNING);
    }

    @Test
    void resumingToRunningLoadsThenRestartsThroughStopAndRunningP2p() {
        Rig rig = at(VendorModel.MDEV_PIN, SC | P2P, RESUMING);
        assertThat(rig.calls.setState(RUNNING).ret()).isZero();
        assertThat(rig.arcs()).containsExactly("RESUMING>STOP", "STOP>RUNNING_P2P", "RUNNING_P2P>RUNNING");
    }

    @Test
    void aFailingInteriorArcLeavesTheDeviceWhereItGotTo() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC | P2P, ArcFault.fails(STOP, STOP_COPY, Errno.ENOMEM)));
        MigStateResult r = rig.calls.setState(STOP_COPY);
        assertThat(r.ret()).isEqualTo(Errno.ENOMEM.ret());
        assertThat(r.dataFd()).isEqualTo(-1);
        assertThat(rig.arcs()).containsExactly("RUNNING>RUNNING_P2P", "RUNNING_P2P>STOP");
        assertThat(rig.state()).isEqualTo(STOP);
    }

    @Test
    void aFaultThatFiresOnceLetsTheRetrySucceed() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC, ArcFault.fails(RUNNING, STOP, Errno.EBUSY).times(1)));
        assertThat(rig.calls.setState(STOP).ret()).isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.calls.setState(STOP).ret()).isZero();
        assertThat(rig.state()).isEqualTo(STOP);
    }

    @Test
    void aFallIntoErrorIsReportedAndOnlyResetLeavesIt() {
        Rig rig = new Rig(config(VendorModel.MDEV_PIN, SC | P2P,
                ArcFault.failsIntoError(RUNNING_P2P, STOP, Errno.ETIMEDOUT)));
        assertThat(rig.calls.setState(STOP).ret()).isEqualTo(Errno.ETIMEDOUT.ret());
        assertThat(rig.causes()).containsExactly("arc", "error");
        assertThat(rig.state()).isEqualTo(ERROR);
        assertThat(rig.calls.setState(RUNNING).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setState(ERROR).ret()).isZero();
        assertThat(rig.device.driver().dmaAllowed()).isFalse();
        assertThat(rig.calls.reset()).isZero();
        assertThat(rig.state()).isEqualTo(RUNNING);
        assertThat(rig.device.driver().dmaAllowed()).isTrue();
    }
}
