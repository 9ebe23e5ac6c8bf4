package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.PAGE;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.internal.vfio.DmaAccess;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/** The pinning API ({@code vfio_pin_pages}, {@code vfio_unpin_pages}, {@code vfio_dma_rw}) over type1. */
class PinAccessTest {
    private static final long MB = 1 << 20;
    private static final int R = Structs.VFIO_DMA_MAP_FLAG_READ;
    private static final int W = Structs.VFIO_DMA_MAP_FLAG_WRITE;

    private final Type1Rig rig = new Type1Rig();
    private final long ram = rig.ram(16 * MB);

    @Test
    void pinningChecksTheCallerThenTheContainer() {
        int c = rig.v2(MDEV_GROUP);
        rig.calls.mapDma(c, ram, 0, 2 * MB);
        DmaAccess a = rig.mdev.access();
        assertThat(a.pinPages(rig.mdev, 0, 1, W)).as("device not open").isEqualTo(Errno.EINVAL.ret());
        rig.deviceFd(rig.mdev);
        assertThat(a.pinPages(rig.mdev, 0, 0, W)).isEqualTo(Errno.EINVAL.ret());
        assertThat(a.pinPages(rig.mdev, 0, 513, W)).isEqualTo(Errno.E2BIG.ret());
        assertThat(a.pinPages(rig.mdev, 0, -1, W)).isEqualTo(Errno.EINVAL.ret());
        assertThat(a.pinPages(rig.mdev, -PAGE, 2, W)).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(a.pinPages(rig.mdev, 4 * MB, 1, W)).as("not mapped").isEqualTo(Errno.EINVAL.ret());
        rig.calls.dirtyStart(c);
        assertThat(a.pinPages(rig.mdev, 2 * MB - PAGE, 2, W)).as("second page not mapped").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.dirtyGet(c, 0, 2 * MB, PAGE).get(511)).as("the unwound pin still left its dirty bit")
                .isTrue();
        assertThat(rig.calls.dirtyGet(c, 0, 2 * MB, PAGE).get(511)).as("but it is not pinned").isFalse();
        assertThat(a.pinPages(rig.mdev, 0, 512, W)).isEqualTo(512);
    }

    @Test
    void pinningNeedsTheMappingsProtectionAndBackedMemory() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB, R);
        rig.calls.mapDma(c, 0x1000_0000L, MB, MB);
        assertThat(rig.mdevDriver.pin(0, 1, W)).isEqualTo(Errno.EPERM.ret());
        assertThat(rig.mdevDriver.pin(0, 1, R)).isEqualTo(1);
        assertThat(rig.mdevDriver.pin(MB, 1, R)).as("nothing at the vaddr").isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void aV1ContainerHasNoPinning() {
        int c = rig.container(Structs.VFIO_TYPE1_IOMMU, MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(rig.mdevDriver.pin(0, 1, W)).isEqualTo(Errno.EACCES.ret());
    }

    @Test
    void aDriverWithoutDmaUnmapMayNotPin() {
        int c = rig.v2(NIC_GROUP);
        rig.deviceFd(rig.nic);
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(rig.nic.access().pinPages(rig.nic, 0, 1, W)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.nic.access().dmaRw(rig.nic, 0, 8, true)).as("dma_rw needs no dma_unmap").isZero();
    }

    @Test
    void pinsAreReferenceCountedAndOnlyTheLastUnpinReleases() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.dirtyStart(c);
        rig.mdevDriver.pin(0, 1, W);
        rig.mdevDriver.pin(0, 1, W);
        rig.mdevDriver.unpin(0, 1);
        rig.calls.dirtyGet(c, 0, MB, PAGE);
        rig.calls.dirtyGet(c, 0, MB, PAGE);
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).get(0)).as("still pinned once").isTrue();
        rig.mdevDriver.unpin(0, 1);
        rig.calls.dirtyGet(c, 0, MB, PAGE);
        assertThat(rig.calls.dirtyGet(c, 0, MB, PAGE).get(0)).isFalse();
    }

    @Test
    void pinningWhileAVaddrIsInvalidIsBusy() {
        int c = rig.v2(Type1Rig.PINNER_GROUP);
        rig.deviceFd(rig.pinner);
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(rig.calls.unmapDma(c, 0, MB, Structs.VFIO_DMA_UNMAP_FLAG_VADDR).ret()).isZero();
        assertThat(rig.pinnerDriver.pin(0, 1, W)).isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.pinner.access().dmaRw(rig.pinner, 0, 8, true)).isEqualTo(Errno.EBUSY.ret());
    }

    @Test
    void pinsWithoutAnIommuDomainAreChargedToTheOwner() {
        Type1Rig r = new Type1Rig(Type1Options.defaults().withMemlockLimit(2 * PAGE));
        int c = r.v2(MDEV_GROUP);
        r.deviceFd(r.mdev);
        long m = r.ram(MB);
        r.calls.mapDma(c, m, 0, MB);
        assertThat(r.type1.lockedPages(r.vmm)).as("nothing pinned at map time").isZero();
        assertThat(r.mdevDriver.pin(0, 2, W)).isEqualTo(2);
        assertThat(r.mdevDriver.pin(2 * PAGE, 1, W)).isEqualTo(Errno.ENOMEM.ret());
        r.mdevDriver.unpin(0, 1);
        assertThat(r.type1.lockedPages(r.vmm)).isEqualTo(1);
    }

    @Test
    void unmappingPinnedPagesAsksTheDriverToUnpinFirst() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.mdevDriver.pin(4 * PAGE, 2, W);
        assertThat(rig.calls.unmapDma(c, 0, MB, 0).size()).isEqualTo(MB);
        assertThat(rig.mdevDriver.unmapNotices).hasSize(1);
        assertThat(rig.mdevDriver.unmapNotices.get(0)).containsExactly(0, MB);
        assertThat(rig.mdevDriver.pins).isEmpty();
    }

    @Test
    void aDriverThatNeverUnpinsCrashesTheKernel() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.mdevDriver.pin(0, 1, W);
        rig.mdevDriver.unpinOnNotice = false;
        assertThatThrownBy(() -> rig.calls.unmapDma(c, 0, MB, 0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("BUG");
    }

    @Test
    void dmaRwNeedsMappedReadableMemoryAndWritesTheLog() {
        int c = rig.v2(MDEV_GROUP);
        rig.deviceFd(rig.mdev);
        Bitmap log = rig.vmm.memory().trackWrites(ram);
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.mapDma(c, ram + MB, MB, MB, W);
        rig.calls.mapDma(c, ram + 2 * MB, 2 * MB, MB, R);
        DmaAccess a = rig.mdev.access();
        assertThat(a.dmaRw(rig.mdev, 0, 0, true)).isEqualTo(Errno.EINVAL.ret());
        assertThat(a.dmaRw(rig.mdev, 8 * MB, 8, true)).isEqualTo(Errno.EINVAL.ret());
        assertThat(a.dmaRw(rig.mdev, MB, 8, true)).as("write-only mapping: reads are required too")
                .isEqualTo(Errno.EPERM.ret());
        assertThat(a.dmaRw(rig.mdev, 2 * MB, 8, true)).isEqualTo(Errno.EPERM.ret());
        assertThat(a.dmaRw(rig.mdev, 2 * MB, 8, false)).isZero();
        assertThat(log.isEmpty()).isTrue();
        assertThat(a.dmaRw(rig.mdev, MB - PAGE, 2 * PAGE, true)).as("runs into the write-only mapping")
                .isEqualTo(Errno.EPERM.ret());
        assertThat(log.get(255)).as("the first chunk was written").isTrue();
        assertThat(a.dmaRw(rig.mdev, 3 * PAGE + 100, 5000, true)).isZero();
        assertThat(log.get(3)).isTrue();
        assertThat(log.get(4)).isTrue();
    }
}
