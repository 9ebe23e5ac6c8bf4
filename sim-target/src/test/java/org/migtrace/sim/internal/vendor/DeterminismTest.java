package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.uapi.MigState;

/** Sizes depend on the configuration and the virtual clock only. */
class DeterminismTest {

    static List<Long> run(VendorModel model) {
        Rig rig = new Rig(V2DeviceConfig.builder(model).stopCopyBytes(10 << 20).precopyInitialBytes(6 << 20)
                .dirtyBytesPerSecond(3_000_001).build());
        List<Long> seen = new ArrayList<>();
        int fd = rig.calls.setState(MigState.PRE_COPY).dataFd();
        for (int i = 0; i < 5; i++) {
            rig.sleepMs(7 + i);
            var info = rig.calls.precopyInfo(fd);
            seen.add(info.initialBytes());
            seen.add(info.dirtyBytes());
            seen.add(rig.calls.dataSize().stopCopyLength());
            seen.add((long) rig.readAll(fd).length);
        }
        rig.calls.setState(MigState.STOP_COPY);
        seen.add((long) rig.readAll(fd).length);
        return seen;
    }

    @Test
    void theSameConfigAndTimelineGiveTheSameSizes() {
        for (VendorModel m : new VendorModel[] {VendorModel.MLX5_VF, VendorModel.MDEV_PIN}) {
            List<Long> a = run(m);
            assertThat(run(m)).as(m.id()).isEqualTo(a);
            assertThat(a).as("dirty data appeared").anyMatch(v -> v > 0 && v % 4096 != 0);
        }
    }

    @Test
    void dirtyBytesGrowWithVirtualTimeOnlyWhileTheDeviceRuns() {
        Rig rig = new Rig(V2DeviceConfig.builder(VendorModel.MDEV_PIN).stopCopyBytes(1 << 30)
                .dirtyBytesPerSecond(1_000_000).build());
        int fd = rig.calls.setState(MigState.PRE_COPY).dataFd();
        rig.sleepMs(250);
        assertThat(rig.calls.precopyInfo(fd).dirtyBytes()).isEqualTo(RecordFormat.HEADER_SIZE + 250_000);
        rig.calls.setState(MigState.PRE_COPY_P2P);
        rig.sleepMs(1000);
        assertThat(rig.calls.precopyInfo(fd).dirtyBytes()).as("quiesced").isEqualTo(RecordFormat.HEADER_SIZE + 250_000);
        rig.calls.setState(MigState.PRE_COPY);
        rig.sleepMs(750);
        assertThat(rig.calls.precopyInfo(fd).dirtyBytes()).isEqualTo(RecordFormat.HEADER_SIZE + 1_000_000);
    }

    @Test
    void dirtyBytesNeverExceedTheWholeState() {
        Rig rig = new Rig(V2DeviceConfig.builder(VendorModel.MDEV_PIN).stopCopyBytes(1 << 20)
                .dirtyBytesPerSecond(Long.MAX_VALUE / 2).build());
        int fd = rig.calls.setState(MigState.PRE_COPY).dataFd();
        rig.sleepMs(10_000);
        assertThat(rig.calls.precopyInfo(fd).dirtyBytes()).isEqualTo(RecordFormat.HEADER_SIZE + (1 << 20));
    }
}
