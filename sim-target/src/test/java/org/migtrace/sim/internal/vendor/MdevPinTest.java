package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.DmaAccess;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/** The emulated-IOMMU device: a pinned working set through the pinning API, DMA only to pinned pages. */
class MdevPinTest {
    static final long P = 4096;

    /** Records what the device asks of the pinning API. */
    static final class FakeAccess implements DmaAccess {
        final List<String> calls = new ArrayList<>();
        long failPinAt = -1;

        @Override
        public long pinPages(VfioDevice device, long iova, int npage, int prot) {
            if (iova == failPinAt) {
                return Errno.EINVAL.ret();
            }
            calls.add("pin " + iova / P + "+" + npage);
            return npage;
        }

        @Override
        public void unpinPages(VfioDevice device, long iova, int npage) {
            calls.add("unpin " + iova / P + "+" + npage);
        }

        @Override
        public long dmaRw(VfioDevice device, long iova, long length, boolean write) {
            calls.add((write ? "write " : "read ") + iova + "+" + length);
            return 0;
        }
    }

    final Rig rig = new Rig(V2DeviceConfig.defaults(VendorModel.MDEV_PIN));
    final FakeAccess access = new FakeAccess();
    final MdevPinDevice dev = rig.vendor(MdevPinDevice.class);
    final KernelCtx ctx = new KernelCtx(rig.host, rig.process, rig.thread);

    MdevPinTest() {
        rig.device.setAccess(access);
    }

    @Test
    void theWorkingSetIsPinnedInCallsOfAtMost512Pages() {
        assertThat(dev.setWorkingSet(ctx, List.of(new IovaRange(0, 600 * P)))).isZero();
        assertThat(access.calls).containsExactly("pin 0+512", "pin 512+88");
        assertThat(dev.workingSet()).containsExactly(new IovaRange(0, 600 * P));
    }

    @Test
    void aChangingWorkingSetUnpinsWhatLeftAndPinsOnlyWhatJoined() {
        dev.setWorkingSet(ctx, List.of(new IovaRange(0, 10 * P)));
        access.calls.clear();
        dev.setWorkingSet(ctx, List.of(new IovaRange(5 * P, 10 * P), new IovaRange(100 * P, 1)));
        assertThat(access.calls).containsExactly("unpin 0+5", "pin 10+5", "pin 100+1");
        assertThat(dev.workingSet()).containsExactly(new IovaRange(5 * P, 10 * P), new IovaRange(100 * P, P));
    }

    @Test
    void dmaReachesMemoryOnlyOnPinnedPagesAndOnlyWhileTheDeviceRuns() {
        dev.setWorkingSet(ctx, List.of(new IovaRange(0, 4 * P)));
        access.calls.clear();
        assertThat(dev.dmaWrite(ctx, P, 2 * P)).isEqualTo(2 * P);
        assertThat(dev.dmaWrite(ctx, 3 * P, 2 * P)).as("page 4 is not pinned").isZero();
        assertThat(rig.calls.setState(MigState.STOP).ret()).isZero();
        assertThat(dev.dmaWrite(ctx, 0, P)).as("stopped").isZero();
        assertThat(access.calls).containsExactly("write " + P + "+" + 2 * P);
    }

    @Test
    void aPinFailureStopsTheChangeAndKeepsWhatWasPinned() {
        access.failPinAt = 512 * P;
        assertThat(dev.setWorkingSet(ctx, List.of(new IovaRange(0, 600 * P)))).isEqualTo(Errno.EINVAL.ret());
        assertThat(dev.workingSet()).containsExactly(new IovaRange(0, 512 * P));
    }

    @Test
    void withoutAPinningApiTheWorkingSetCannotBeSet() {
        rig.device.setAccess(null);
        assertThat(dev.setWorkingSet(ctx, List.of(new IovaRange(0, P)))).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void closingTheDeviceUnpinsEverything() {
        dev.setWorkingSet(ctx, List.of(new IovaRange(0, 3 * P), new IovaRange(10 * P, P)));
        access.calls.clear();
        assertThat(rig.thread.close(rig.fd)).isZero();
        assertThat(access.calls).containsExactly("unpin 0+3", "unpin 10+1");
        assertThat(dev.workingSet()).isEmpty();
    }

    @Test
    void anUnmapNoticeUnpinsWhatTheDevicePinnedInTheRange() {
        dev.setWorkingSet(ctx, List.of(new IovaRange(0, 10 * P)));
        access.calls.clear();
        assertThat(rig.device.driver().hasDmaUnmap()).as("through vfio-pci core").isTrue();
        rig.device.driver().dmaUnmap(ctx, 3 * P, 2 * P);
        assertThat(access.calls).containsExactly("unpin 3+2");
        assertThat(dev.workingSet()).containsExactly(new IovaRange(0, 3 * P), new IovaRange(5 * P, 5 * P));
    }

    @Test
    void theWorkingSetIsReachedThroughVfioPciCore() {
        assertThat(rig.device.driver().setWorkingSet(ctx, List.of(new IovaRange(0, 2 * P)))).isZero();
        assertThat(access.calls).containsExactly("pin 0+2");
    }

    @Test
    void theDeviceHasNoLoggingOps() {
        assertThat(rig.calls.loggingStop()).isEqualTo(Errno.ENOTTY.ret());
    }
}
