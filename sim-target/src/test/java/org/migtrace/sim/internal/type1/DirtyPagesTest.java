package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.PAGE;
import static org.migtrace.sim.internal.type1.Type1Rig.PINNER_GROUP;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.sim.vmm.ContainerCalls.UserBitmap;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/** {@code VFIO_IOMMU_DIRTY_PAGES}: the checks of reference §C.2 in order, and what is reported (§C.3–C.5). */
class DirtyPagesTest {
    private static final long MB = 1 << 20;
    private static final long GET = Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP;
    private static final int W = Structs.VFIO_DMA_MAP_FLAG_WRITE;

    private final Type1Rig rig = new Type1Rig();
    private final long ram = rig.ram(64 * MB);

    // ---- §C.2 validation order

    @Test
    void aV1ContainerIsRefusedBeforeTheArgumentIsRead() {
        int c = rig.container(Structs.VFIO_TYPE1_IOMMU, NIC_GROUP);
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), 0x10)).isEqualTo(Errno.EACCES.ret());
        assertThat(rig.calls.dirtyStart(c)).isEqualTo(Errno.EACCES.ret());
    }

    @Test
    void theHeaderNeedsArgszAndExactlyOneKnownFlag() {
        int c = rig.v2(NIC_GROUP);
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        try (UStruct s = new UStruct(rig.vmm.memory(), Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP)) {
            s.set("argsz", 7).set("flags", Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_START);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), s.addr())).isEqualTo(Errno.EINVAL.ret());
        }
        assertThat(rig.calls.dirtyPages(c, 8)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyPages(c, 3)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyPages(c, 0)).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void stopWithoutStartSucceeds() {
        int c = rig.v2(NIC_GROUP);
        assertThat(rig.calls.dirtyStop(c)).isZero();
    }

    @Test
    void getBitmapValidatesInTheKernelsOrder() {
        int c = rig.v2(NIC_GROUP);
        rig.calls.mapDma(c, ram, 0, MB);
        long buf = rig.vmm.memory().malloc(4096);
        try (UStruct s = new UStruct(rig.vmm.memory(), Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP, 40)) {
            s.set("argsz", 47).set("flags", GET);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), s.addr())).isEqualTo(Errno.EINVAL.ret());
        }
        try (UStruct s = new UStruct(rig.vmm.memory(), Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP)) {
            s.set("argsz", 48).set("flags", GET);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), s.addr())).as("range not readable")
                    .isEqualTo(Errno.EFAULT.ret());
        }
        assertThat(rig.calls.dirtyGet(c, 0, 0, PAGE, buf, 4096)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, -PAGE, 2 * PAGE, PAGE, -8L, 0)).as("wrap before anything else")
                .isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, -8L, 32)).as("access_ok").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, 24)).as("256 pages need 32 bytes").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, (256L << 20) + 8)).as("past 256 MiB")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, 2 * PAGE, buf, 32)).as("not the smallest page").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, 0, buf, 32)).as("no page size at all").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 512, MB, PAGE, buf, 32)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB + 512, PAGE, buf, 40)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, 32)).as("tracking off").isEqualTo(Errno.EINVAL.ret());
        rig.calls.dirtyStart(c);
        assertThat(rig.calls.dirtyGet(c, PAGE, MB - PAGE, PAGE, buf, 32)).as("starts inside a mapping")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB - PAGE, PAGE, buf, 32)).as("ends inside a mapping")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, 0x2000, 32)).as("checks pass, the copy faults")
                .isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, 32)).isZero();
    }

    @Test
    void aCopyRunningOffTheUserBufferWritesItsHeadThenFaults() {
        int c = rig.v2(NIC_GROUP);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        long buf = rig.vmm.memory().malloc(8);
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE, buf, 32)).as("size claims 32 bytes; 8 are mapped")
                .isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.vmm.memory().getLong(buf)).as("copy_to_user wrote up to the fault").isEqualTo(-1L);
    }

    @Test
    void mappingsOfMoreThanIntMaxPagesCannotBeTracked() {
        int c = rig.v2(MDEV_GROUP);
        long huge = 1L << 44; // 2^32 pages: nothing is pinned in an emulated-only container
        assertThat(rig.calls.mapDma(c, 0x1000_0000L, 0, huge)).isZero();
        assertThat(rig.calls.dirtyStart(c)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, huge, 0).ret()).isZero();
        assertThat(rig.calls.dirtyStart(c)).isZero();
        assertThat(rig.calls.mapDma(c, 0x1000_0000L, 0, huge)).as("refused while tracking, and not kept")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, 0x1000_0000L, 0, PAGE)).isZero();
    }

    @Test
    void aRangeEndingAtTheTopOfTheSpaceWasRefusedBefore619() {
        Type1Rig old = new Type1Rig(Type1Options.defaults().withKernel(Type1Kernel.BEFORE_6_19));
        int oc = old.v2(MDEV_GROUP);
        old.calls.dirtyStart(oc);
        long obuf = old.vmm.memory().malloc(8);
        assertThat(old.calls.dirtyGet(oc, -PAGE, PAGE, PAGE, obuf, 8)).isEqualTo(Errno.EINVAL.ret());
        int c = rig.v2(MDEV_GROUP);
        rig.calls.dirtyStart(c);
        long buf = rig.vmm.memory().malloc(8);
        assertThat(rig.calls.dirtyGet(c, -PAGE, PAGE, PAGE, buf, 8)).isZero();
    }

    // ---- §C.3 what is reported

    @Test
    void aNonPinnedGroupMakesEveryMappedPageDirtyOnEveryRead() {
        int c = rig.v2(NIC_GROUP);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        for (int i = 0; i < 2; i++) {
            UserBitmap b = rig.calls.dirtyGet(c, 0, MB, PAGE);
            assertThat(b.ret()).isZero();
            assertThat(b.toBitmap().cardinality()).isEqualTo(256);
        }
    }

    @Test
    void aGroupThatPinsOnceIsPromotedToPinnedScopeForGood() {
        int c = rig.v2(PINNER_GROUP);
        rig.deviceFd(rig.pinner);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).toBitmap().cardinality()).isEqualTo(256);
        assertThat(rig.pinnerDriver.pin(7 * PAGE, 1, W)).isEqualTo(1);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).containsExactly(7L);
        rig.pinnerDriver.unpin(7 * PAGE, 1);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).as("reported once more after unpin").containsExactly(7L);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).as("still promoted with nothing pinned").isEmpty();
    }

    @Test
    void pinnedPagesAreStickyAndSeededAtStart() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(rig.mdevDriver.pin(3 * PAGE, 2, W)).isEqualTo(2);
        rig.calls.dirtyStart(c);
        for (int i = 0; i < 3; i++) {
            assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).containsExactly(3L, 4L);
        }
    }

    @Test
    void dmaRwWritesAreReportedOnceAndReadsNotAtAll() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        assertThat(rig.mdev.access().dmaRw(rig.mdev, 5 * PAGE - 10, 20, true)).isZero();
        assertThat(rig.mdev.access().dmaRw(rig.mdev, 9 * PAGE, 100, false)).isZero();
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).containsExactly(4L, 5L);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).isEmpty();
    }

    @Test
    void anEmulatedOnlyContainerIsNeverAllDirty() {
        int c = rig.v2(MDEV_GROUP);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).isEmpty();
    }

    @Test
    void startingTwiceKeepsTheBits() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        rig.mdev.access().dmaRw(rig.mdev, 2 * PAGE, 1, true);
        assertThat(rig.calls.dirtyStart(c)).isZero();
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).containsExactly(2L);
        rig.mdev.access().dmaRw(rig.mdev, 2 * PAGE, 1, true);
        rig.calls.dirtyStop(c);
        rig.calls.dirtyStart(c);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).as("stop drops the bitmaps").isEmpty();
    }

    @Test
    void detachingANonPinnedGroupWhileTrackingMarksEverythingOnce() {
        int c = rig.v2(NIC_GROUP, MDEV_GROUP);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).toBitmap().cardinality()).isEqualTo(256);
        assertThat(rig.calls.unsetContainer(rig.groupFds.get(NIC_GROUP))).isZero();
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).toBitmap().cardinality()).as("what the NIC dirtied").isEqualTo(256);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).isEmpty();
    }

    // ---- §C.5 map and unmap while tracking

    @Test
    void aMappingMadeWhileTrackingStartsClean() {
        int c = rig.v2(MDEV_GROUP);
        rig.calls.dirtyStart(c);
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).isEmpty();
    }

    @Test
    void unmapWithBitmapReportsAndPlainUnmapLosesTheBits() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.mapDma(c, ram + MB, MB, MB);
        rig.calls.dirtyStart(c);
        rig.mdevDriver.pin(PAGE, 1, W);
        rig.mdev.access().dmaRw(rig.mdev, MB + 2 * PAGE, 8, true);
        ContainerCalls.UnmappedWithBitmap u = rig.calls.unmapDmaGetBitmap(c, 0, 2 * MB, PAGE);
        UserBitmap b = u.bitmap();
        assertThat(u.ret()).isZero();
        assertThat(u.size()).isEqualTo(2 * MB);
        assertThat(rig.mdevDriver.unmapNotices).as("the pinning driver was told to unpin first").hasSize(1);
        assertThat(bits(b)).containsExactly(1L, 258L);

        rig.calls.mapDma(c, ram, 0, MB);
        rig.mdev.access().dmaRw(rig.mdev, 3 * PAGE, 8, true);
        assertThat(rig.calls.unmapDma(c, 0, MB, 0).ret()).isZero();
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(bits(rig.calls.dirtyGet(c, 0, MB, PAGE))).isEmpty();
    }

    // ---- §C.4 the output bitmap

    @Test
    void mappingsAtOffsetsInsideAWordShareItWithoutLosingBits() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, 10 * PAGE);
        rig.calls.mapDma(c, ram + 10 * PAGE, 10 * PAGE, 100 * PAGE);
        rig.calls.dirtyStart(c);
        for (long p : new long[] {0, 9, 10, 63, 64, 109}) {
            rig.mdev.access().dmaRw(rig.mdev, p * PAGE, 1, true);
        }
        UserBitmap b = rig.calls.dirtyGet(c, 0, 110 * PAGE, PAGE);
        assertThat(bits(b)).containsExactly(0L, 9L, 10L, 63L, 64L, 109L);
    }

    @Test
    void aMappingsLastWordIsWrittenWholeAndHolesNever() {
        int c = rig.v2(MDEV_GROUP);
        rig.calls.mapDma(c, ram, 0, 10 * PAGE);
        rig.calls.dirtyStart(c);
        long buf = rig.vmm.memory().malloc(32);
        rig.vmm.memory().fillLongs(buf, -1L, 4);
        assertThat(rig.calls.dirtyGet(c, 0, 200 * PAGE, PAGE, buf, 32)).isZero();
        long[] w = new long[4];
        rig.vmm.memory().readLongs(buf, w, 0, 4);
        assertThat(w).as("word 0 overwritten, tail included; the hole's words untouched")
                .containsExactly(0L, -1L, -1L, -1L);
    }

    @Test
    void theSharedFirstWordIsMergedWhole() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram + 10 * PAGE, 10 * PAGE, 10 * PAGE);
        rig.calls.dirtyStart(c);
        rig.mdev.access().dmaRw(rig.mdev, 12 * PAGE, 1, true);
        long buf = rig.vmm.memory().malloc(8);
        rig.vmm.memory().fillLongs(buf, 0x8000_0000_0000_0001L, 1);
        assertThat(rig.calls.dirtyGet(c, 0, 20 * PAGE, PAGE, buf, 8)).isZero();
        assertThat(rig.vmm.memory().getLong(buf)).as("bitmap_or of the whole user word, bits past the range too")
                .isEqualTo(0x8000_0000_0000_0001L | (1L << 12));
    }

    /**
     * After a shifted copy the kernel clears only the mapping's own bits, so what the shift pushed
     * into the spare word comes back on the next read, shifted again, into the next mapping's bits.
     */
    @Test
    void bitsShiftedPastAMappingResurfaceInTheNextOneOnTheNextRead() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, 10 * PAGE);
        rig.calls.mapDma(c, ram + 10 * PAGE, 10 * PAGE, 64 * PAGE);
        rig.calls.mapDma(c, ram + 74 * PAGE, 74 * PAGE, 64 * PAGE);
        rig.calls.dirtyStart(c);
        rig.mdev.access().dmaRw(rig.mdev, 73 * PAGE, 1, true);
        assertThat(bits(rig.calls.dirtyGet(c, 0, 138 * PAGE, PAGE))).containsExactly(73L);
        assertThat(bits(rig.calls.dirtyGet(c, 0, 138 * PAGE, PAGE))).as("page 9 of the third mapping")
                .containsExactly(83L);
        assertThat(bits(rig.calls.dirtyGet(c, 0, 138 * PAGE, PAGE))).containsExactly(93L);
    }

    // ---- scale

    @Test
    void aOneTebibyteGuestIsReportedWhole() {
        int c = rig.v2(NIC_GROUP);
        long tib = 1L << 40;
        long big = rig.ram(tib);
        assertThat(rig.calls.mapDma(c, big, 0, tib)).as("crosses the MSI window").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, big, tib, tib)).isZero();
        rig.calls.dirtyStart(c);
        UserBitmap b = rig.calls.dirtyGet(c, tib, tib, PAGE);
        assertThat(b.ret()).isZero();
        assertThat(b.toBitmap().cardinality()).isEqualTo(1L << 28);
    }

    private static java.util.List<Long> bits(UserBitmap b) {
        assertThat(b.ret()).isZero();
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (long i = 0; i < (long) b.words().length * 64; i++) {
            if (b.get(i)) {
                out.add(i);
            }
        }
        return out;
    }
}
