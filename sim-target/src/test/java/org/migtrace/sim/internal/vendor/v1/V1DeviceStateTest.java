package org.migtrace.sim.internal.vendor.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1DeviceConfig.OnFailure;
import org.migtrace.sim.vendor.V1DeviceConfig.TransitionFault;
import org.migtrace.sim.vendor.V1DeviceConfig.Transitions;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;
import org.migtrace.uapi.V1State;

class V1DeviceStateTest {

    private static final V1DeviceConfig MERGED = V1DeviceConfig.builder().build();
    private static final V1DeviceConfig NDMA = V1DeviceConfig.builder().ndma(true).build();

    /** Each value written to a fresh device in RUNNING: "ok" or the errno, then the state read back. */
    private static Map<Integer, String> writesFromRunning(V1DeviceConfig config, int upTo) {
        Map<Integer, String> out = new TreeMap<>();
        for (int v = 0; v <= upTo; v++) {
            V1Rig rig = new V1Rig(config);
            long ret = rig.setState(v);
            out.put(v, (ret < 0 ? Errno.describe(ret) : "ok") + " -> " + rig.state());
        }
        return out;
    }

    @Test
    void mergedRulesAcceptTheFiveDocumentedStatesAndNothingWithBitThreeOrAbove() {
        Map<Integer, String> expected = new TreeMap<>();
        for (int v = 0; v <= 4; v++) {
            expected.put(v, "ok -> " + v);
        }
        // 101b and 111b are invalid, 110b is the error encoding only the driver reports
        for (int v = 5; v <= 15; v++) {
            expected.put(v, "EINVAL -> 1");
        }
        assertThat(writesFromRunning(MERGED, 15)).containsExactlyEntriesOf(expected);
    }

    @Test
    void ndmaRulesAddNdmaToEveryValidCombinationButKeepResumingAlone() {
        Map<Integer, String> expected = new TreeMap<>();
        for (int v : new int[] {0, 1, 2, 3, 4, 8, 9, 10, 11, 12}) {
            expected.put(v, "ok -> " + v);
        }
        // RESUMING|RUNNING (5, 13) unsupported, SAVING|RESUMING (6, 7, 14, 15) invalid (6 is the error encoding)
        for (int v : new int[] {5, 6, 7, 13, 14, 15}) {
            expected.put(v, "EINVAL -> 1");
        }
        expected.put(16, "EINVAL -> 1"); // bit 4 is reserved under the RFC too
        assertThat(writesFromRunning(NDMA, 16)).containsExactlyEntriesOf(expected);
    }

    @Test
    void successfulWritesReportOneEventAndSameStateWritesNone() {
        V1Rig rig = new V1Rig(MERGED);
        assertThat(rig.setState(1)).isEqualTo(4);
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(rig.setState(2)).isEqualTo(4);
        assertThat(rig.setState(5)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.events).extracting(DeviceStateEvent::from, DeviceStateEvent::to, DeviceStateEvent::cause)
                .containsExactly(tuple(1, 3, "write"),
                        tuple(3, 2, "write"));
        assertThat(rig.events).allMatch(e -> e.protocol().equals("v1") && e.device().equals("0000:3b:00.1"));
    }

    @Test
    void failedTransitionKeepsThePreviousStateByDefault() {
        V1Rig rig = new V1Rig(MERGED.toBuilder().faults(List.of(new TransitionFault(3, 2, Errno.EIO))).build());
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(rig.setState(2)).isEqualTo(Errno.EIO.ret());
        assertThat(rig.state()).isEqualTo(3);
        assertThat(rig.setState(0)).as("the device is still usable").isEqualTo(4);
    }

    @Test
    void errorStateIsStickyUntilDeviceReset() {
        V1Rig rig = new V1Rig(MERGED.toBuilder().onFailure(OnFailure.ERROR_STATE)
                .faults(List.of(new TransitionFault(3, 2, Errno.EIO))).build());
        rig.setState(3);
        assertThat(rig.setState(2)).isEqualTo(Errno.EIO.ret());
        assertThat(rig.state()).isEqualTo(6);
        for (int v = 0; v <= 15; v++) {
            assertThat(rig.setState(v)).as("write of %d in the error state", v).isEqualTo(Errno.EINVAL.ret());
        }
        assertThat(rig.state()).isEqualTo(6);
        assertThat(rig.device.driver().dmaAllowed()).isFalse();
        assertThat(rig.dataOffset()).isEqualTo(Errno.EINVAL.ret());

        assertThat(rig.reset()).isZero();
        assertThat(rig.state()).isEqualTo(1);
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(rig.events).extracting(DeviceStateEvent::to, DeviceStateEvent::cause).containsExactly(
                tuple(3, "write"), tuple(6, "error"),
                tuple(1, "reset"), tuple(3, "write"));
    }

    @Test
    void errorStateUnderNdmaRulesClearsNdma() {
        V1Rig rig = new V1Rig(NDMA.toBuilder().onFailure(OnFailure.ERROR_STATE)
                .faults(List.of(new TransitionFault(0xB, 0xA, Errno.EIO))).build());
        assertThat(rig.setState(0xB)).isEqualTo(4);
        assertThat(rig.setState(0xA)).isEqualTo(Errno.EIO.ret());
        assertThat(rig.state()).isEqualTo(6);
    }

    @Test
    void libvfioUserTableRefusesPrecopyToPrecopyButLetsPrecopyGoBackToRunning() {
        V1DeviceConfig table = MERGED.toBuilder().transitions(Transitions.LIBVFIO_USER).build();
        V1Rig rig = new V1Rig(table);
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(rig.setState(3)).as("(1 << RUNNING | SAVING) is bit 1, not bit 3").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.setState(1)).isEqualTo(4);
        assertThat(rig.setState(0)).isEqualTo(4);
        assertThat(rig.setState(2)).as("STOP only goes to RUNNING").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.setState(4)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.setState(1)).isEqualTo(4);

        V1Rig any = new V1Rig(MERGED);
        any.setState(0);
        assertThat(any.setState(2)).as("any valid state from any state by default").isEqualTo(4);
    }

    @Test
    void reservedFieldReadsZeroIgnoresWritesAndStateKeepsNoReservedBits() {
        V1Rig rig = new V1Rig(MERGED);
        assertThat(rig.write(V1Rig.RESERVED, 4, 0xFFFF_FFFFL)).isEqualTo(4);
        assertThat(rig.read(V1Rig.RESERVED, 4)).isZero();
        // the read-modify-write a user does: reserved bits read as 0, so writing them back is harmless
        long rmw = (rig.state() & ~V1State.MASK) | 3;
        assertThat(rig.setState(rmw)).isEqualTo(4);
        assertThat(rig.state()).isEqualTo(3);
    }

    @Test
    void dmaIsAllowedOnlyWhileRunningWithoutNdma() {
        V1Rig rig = new V1Rig(NDMA.toBuilder().validateResume(false).build());
        Map<Integer, Boolean> dma = new TreeMap<>();
        for (int v : new int[] {1, 9, 3, 0xB, 0, 8, 2, 4, 1}) {
            assertThat(rig.setState(v)).as("write %d", v).isEqualTo(4);
            dma.put(v, rig.device.driver().dmaAllowed());
        }
        assertThat(dma).containsExactlyEntriesOf(new TreeMap<>(Map.of(0, false, 1, true, 2, false, 3, true, 4, false,
                8, false, 9, false, 0xB, false)));
    }

    @Test
    void v2FeatureIoctlsAnswerEnotty() {
        V1Rig rig = new V1Rig(MERGED);
        try (UStruct f = new UStruct(rig.mem, Structs.VFIO_DEVICE_FEATURE, 8)) {
            f.set("argsz", 16).set("flags", DeviceFeature.GET | 1);
            assertThat(rig.t.ioctl(rig.fd, Ioctl.VFIO_DEVICE_FEATURE.number(), f.addr())).isEqualTo(Errno.ENOTTY.ret());
            f.set("flags", DeviceFeature.SET | 2);
            assertThat(rig.t.ioctl(rig.fd, Ioctl.VFIO_DEVICE_FEATURE.number(), f.addr())).isEqualTo(Errno.ENOTTY.ret());
        }
    }
}
