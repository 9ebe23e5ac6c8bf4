package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.vfio.DeviceFeatureIoctl;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.vendor.TrackerCaps;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.sim.vmm.DeviceCalls.LogReport;
import org.migtrace.sim.vmm.DeviceCalls.LogStart;
import org.migtrace.sim.vmm.DeviceCalls.Range;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/** DMA logging through the mlx5 page tracker (and mtty's no-op ops): start, stop, report rules. */
class DmaLoggingTest {
    static final long P = 4096;
    static final long GIB = 1L << 30;

    static Rig mlx5(TrackerCaps caps) {
        return new Rig(V2DeviceConfig.builder(VendorModel.MLX5_VF).tracker(caps).build()).withPassThroughDomain();
    }

    static Rig mlx5() {
        return mlx5(TrackerCaps.DEFAULT);
    }

    static List<Long> setBits(Bitmap b) {
        List<Long> out = new ArrayList<>();
        for (long i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
            out.add(i);
        }
        return out;
    }

    @Test
    void dmaWritesInsideTheRangesAreReportedOnceAndOutsideNever() {
        Rig rig = mlx5();
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, 64 * P), new Range(GIB, 64 * P))).ret()).isZero();
        rig.dma(3 * P + 10, 2 * P);     // pages 3, 4, 5
        rig.dma(GIB + 63 * P, P);       // page 63 of the second range
        rig.dma(100 * P, P);            // outside both ranges
        LogReport first = rig.calls.loggingReport(0, 64 * P, P);
        assertThat(first.ret()).isZero();
        assertThat(setBits(first.bits())).containsExactly(3L, 4L, 5L);
        assertThat(setBits(rig.calls.loggingReport(GIB, 64 * P, P).bits())).containsExactly(63L);
        assertThat(setBits(rig.calls.loggingReport(0, 64 * P, P).bits())).as("read and clear").isEmpty();
        assertThat(setBits(rig.calls.loggingReport(64 * P, 64 * P, P).bits())).isEmpty();
    }

    @Test
    void aStoppedDeviceDoesNotDmaSoNothingIsLogged() {
        Rig rig = mlx5();
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, 64 * P))).ret()).isZero();
        assertThat(rig.calls.setState(MigState.STOP).ret()).isZero();
        rig.dma(0, P);
        assertThat(setBits(rig.calls.loggingReport(0, 64 * P, P).bits())).isEmpty();
    }

    @Test
    void aReportAtALargerPageSizeCoversEveryTrackedPageInIt() {
        Rig rig = mlx5();
        rig.calls.loggingStart(P, List.of(new Range(0, 1024 * P)));
        rig.dma(513 * P, 1);
        LogReport r = rig.calls.loggingReport(0, 1024 * P, 2L << 20);
        assertThat(setBits(r.bits())).containsExactly(1L);
    }

    @Test
    void theRequestedPageSizeIsMovedIntoTheTrackersRangeAndWrittenBack() {
        Rig rig = mlx5(new TrackerCaps(4, 13, 21, 12, 42));
        LogStart small = rig.calls.loggingStart(P, List.of(new Range(0, 64 * P)));
        assertThat(small.ret()).isZero();
        assertThat(small.pageSize()).isEqualTo(8192);
        rig.dma(8192 + 100, 1);
        assertThat(setBits(rig.calls.loggingReport(0, 64 * P, P).bits())).as("8 KiB granularity")
                .containsExactly(2L, 3L);
        assertThat(rig.calls.loggingStop()).isZero();
        LogStart big = rig.calls.loggingStart(1L << 30, List.of(new Range(0, 1L << 30)));
        assertThat(big.pageSize()).isEqualTo(2L << 20);
    }

    @Test
    void startingTwiceIsEinvalAndStoppingWhenNotStartedSucceeds() {
        Rig rig = mlx5();
        assertThat(rig.calls.loggingStop()).isZero();
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P))).ret()).isZero();
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P))).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingStop()).isZero();
        assertThat(rig.calls.loggingStop()).isZero();
    }

    @Test
    void aReportWithoutLoggingIsEinval() {
        Rig rig = mlx5();
        assertThat(rig.calls.loggingReport(0, 64 * P, P).ret()).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void theCoreChecksRangesBeforeTheDriverSeesThem() {
        Rig rig = mlx5();
        List<Range> tooMany = new ArrayList<>();
        for (int i = 0; i <= DeviceFeatureIoctl.LOG_MAX_RANGES; i++) {
            tooMany.add(new Range(i * 2 * P, P));
        }
        assertThat(rig.calls.loggingStart(P, tooMany).ret()).isEqualTo(Errno.E2BIG.ret());
        assertThat(rig.calls.loggingStart(P, List.of()).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(100, P))).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P + 1))).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, 2 * P), new Range(P, P))).ret())
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(-P, 2 * P))).ret()).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P))).ret()).as("nothing was started").isZero();
    }

    @Test
    void theCoreChecksReportArguments() {
        Rig rig = mlx5();
        rig.calls.loggingStart(P, List.of(new Range(0, 64 * P)));
        assertThat(rig.calls.loggingReport(0, 64 * P, 2048).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingReport(0, 64 * P, 3 * P).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.loggingReport(-P, 2 * P, P).ret()).isEqualTo(Errno.EOVERFLOW.ret());
        // iova_bitmap pins the user bitmap lazily inside iova_bitmap_set() since 6.10 and drops what it
        // cannot pin: an unusable bitmap pointer is not reported, and the log was read and cleared
        assertThat(rig.calls.loggingReport(0, 64 * P, P, 0x10)).as("unmapped bitmap").isZero();
    }

    @Test
    void moreRangesThanTheTrackerTakesAreMergedAndTheGapsGetTracked() {
        Rig rig = mlx5(new TrackerCaps(2, 12, 30, 12, 42));
        // gaps: 1 page between the first two, 10 pages between the second and third
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P), new Range(2 * P, P), new Range(13 * P, P))).ret())
                .isZero();
        assertThat(rig.vendor(Mlx5VfDevice.class).tracker().trackedRanges())
                .extracting(r -> r.iova() / P, r -> r.length() / P)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 3L), org.assertj.core.groups.Tuple.tuple(13L, 1L));
        rig.dma(P, P);       // the merged gap
        rig.dma(5 * P, P);   // the gap that stayed a gap
        assertThat(setBits(rig.calls.loggingReport(0, 16 * P, P).bits())).containsExactly(1L);
    }

    @Test
    void aTrackedSpaceOutsideTheDevicesLimitsIsEopnotsupp() {
        Rig rig = mlx5(new TrackerCaps(4, 12, 30, 16, 30));
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, P))).ret()).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, GIB + P))).ret()).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, GIB))).ret()).isZero();
    }

    @Test
    void resetKeepsTheTrackerAndCloseStopsIt() {
        Rig rig = mlx5();
        rig.calls.loggingStart(P, List.of(new Range(0, 64 * P)));
        rig.dma(0, P);
        assertThat(rig.calls.reset()).isZero();
        assertThat(setBits(rig.calls.loggingReport(0, 64 * P, P).bits())).containsExactly(0L);
        assertThat(rig.thread.close(rig.fd)).isZero();
        assertThat(rig.vendor(Mlx5VfDevice.class).tracker().active()).isFalse();
    }

    @Test
    void mttyAcceptsEveryLoggingCallAndReportsNothing() {
        Rig rig = new Rig(V2DeviceConfig.defaults(VendorModel.MTTY));
        LogStart s = rig.calls.loggingStart(P, List.of(new Range(0, 64 * P)));
        assertThat(s.ret()).isZero();
        assertThat(s.pageSize()).isEqualTo(P);
        assertThat(rig.calls.loggingStart(P, List.of(new Range(0, 64 * P))).ret()).isZero();
        LogReport r = rig.calls.loggingReport(0, 64 * P, P);
        assertThat(r.ret()).isZero();
        assertThat(setBits(r.bits())).isEmpty();
        assertThat(rig.calls.loggingStop()).isZero();
    }

    @Test
    void mlx5WithoutTheCapabilityHasNoLoggingOps() {
        Rig rig = new Rig(V2DeviceConfig.builder(VendorModel.MLX5_VF).dmaLogging(false).build());
        assertThat(rig.calls.loggingStop()).isEqualTo(Errno.ENOTTY.ret());
    }
}
