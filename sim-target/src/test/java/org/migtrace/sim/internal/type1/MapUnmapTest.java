package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.PAGE;
import static org.migtrace.sim.internal.type1.Type1Rig.RW;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

class MapUnmapTest {
    private static final long MB = 1 << 20;
    private static final long ALL = Structs.VFIO_DMA_UNMAP_FLAG_ALL;
    private static final long VADDR = Structs.VFIO_DMA_UNMAP_FLAG_VADDR;

    private final Type1Rig rig = new Type1Rig();
    private final int c = rig.v2(NIC_GROUP);
    private final long ram = rig.ram(64 * MB);

    @Test
    void mapChecksArgszAndFlagsFirst() {
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_DMA_MAP;
        try (UStruct s = new UStruct(rig.vmm.memory(), l)) {
            s.set("argsz", 31).set("flags", RW).set("vaddr", ram).set("size", PAGE);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_MAP_DMA.number(), s.addr())).isEqualTo(Errno.EINVAL.ret());
        }
        assertThat(rig.calls.mapDma(c, ram, 0, PAGE, RW | 8)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_MAP_DMA.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void mapOfSizeZeroOrMisalignedIsInvalid() {
        assertThat(rig.calls.mapDma(c, ram, 0, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, PAGE + 1)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 512, PAGE)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram + 8, 0, PAGE)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, PAGE, 0)).as("neither READ nor WRITE").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, PAGE, RW | Structs.VFIO_DMA_MAP_FLAG_VADDR))
                .as("VADDR with READ/WRITE").isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void aWrappingMapIsOverflowBeforeAnyOtherCheckOnCurrentKernels() {
        assertThat(rig.calls.mapDma(c, ram, -PAGE, 2 * PAGE, 0)).as("wrap checked before the flags")
                .isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(rig.calls.mapDma(c, -PAGE, 0, 2 * PAGE)).as("vaddr wraps").isEqualTo(Errno.EOVERFLOW.ret());
    }

    @Test
    void aWrappingMapIsInvalidBefore619AfterTheFlagCheck() {
        Type1Rig old = new Type1Rig(Type1Options.defaults().withKernel(Type1Kernel.BEFORE_6_19));
        int oc = old.v2(NIC_GROUP);
        long oram = old.ram(MB);
        assertThat(old.calls.mapDma(oc, oram, -PAGE, 2 * PAGE, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(old.calls.mapDma(oc, oram, -PAGE, 2 * PAGE)).isEqualTo(Errno.EINVAL.ret());
        assertThat(old.calls.unmapDma(oc, -PAGE, 2 * PAGE, 0).ret()).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void overlappingMapsExistAlready() {
        assertThat(rig.calls.mapDma(c, ram, MB, 2 * MB)).isZero();
        assertThat(rig.calls.mapDma(c, ram, 2 * MB, PAGE)).isEqualTo(Errno.EEXIST.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, MB + PAGE)).isEqualTo(Errno.EEXIST.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, MB)).as("adjacent is fine").isZero();
    }

    @Test
    void mapsBeyondTheEntryLimitHaveNoSpace() {
        Type1Rig small = new Type1Rig(Type1Options.defaults().withDmaEntryLimit(2));
        int sc = small.v2(NIC_GROUP);
        long sram = small.ram(MB);
        assertThat(small.calls.mapDma(sc, sram, 0, PAGE)).isZero();
        assertThat(small.calls.mapDma(sc, sram + PAGE, PAGE, PAGE)).isZero();
        assertThat(small.calls.mapDma(sc, sram + 2 * PAGE, 2 * PAGE, PAGE)).isEqualTo(Errno.ENOSPC.ret());
        assertThat(small.calls.mapDma(sc, sram, 0, PAGE)).as("EEXIST is checked first").isEqualTo(Errno.EEXIST.ret());
        assertThat(small.calls.getInfo(sc).dmaAvail()).isZero();
    }

    @Test
    void mapsMustStayInTheValidIovaRanges() {
        assertThat(rig.calls.mapDma(c, ram, 0xfee0_0000L, PAGE)).as("MSI window").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 1L << 48, PAGE)).as("past the aperture").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, (1L << 48) - PAGE, PAGE)).isZero();
    }

    @Test
    void pinningAtMapTimeFaultsOnUnbackedMemory() {
        assertThat(rig.calls.mapDma(c, 0x1000_0000L, 0, PAGE)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.calls.mapDma(c, ram + 63 * MB, 0, 2 * MB)).as("runs off the end of guest RAM")
                .isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.calls.mapDma(c, ram + 63 * MB, 0, MB)).as("nothing was left behind").isZero();
    }

    @Test
    void pinningBeyondTheMemlockLimitIsOutOfMemory() {
        Type1Rig limited = new Type1Rig(Type1Options.defaults().withMemlockLimit(4 * MB));
        int lc = limited.v2(NIC_GROUP);
        long lram = limited.ram(16 * MB);
        assertThat(limited.calls.mapDma(lc, lram, 0, 3 * MB)).isZero();
        assertThat(limited.type1.lockedPages(limited.vmm)).isEqualTo(768);
        assertThat(limited.calls.mapDma(lc, lram + 3 * MB, 3 * MB, 2 * MB)).isEqualTo(Errno.ENOMEM.ret());
        assertThat(limited.calls.unmapDma(lc, 0, 3 * MB, 0).ret()).isZero();
        assertThat(limited.type1.lockedPages(limited.vmm)).isZero();
        assertThat(limited.calls.mapDma(lc, lram + 3 * MB, 3 * MB, 2 * MB)).isZero();
    }

    @Test
    void mappingsOfAnEmulatedOnlyContainerArePinnedWhenAnIommuGroupArrives() {
        Type1Rig r = new Type1Rig();
        int ec = r.v2(MDEV_GROUP);
        assertThat(r.calls.mapDma(ec, 0x1000_0000L, 0, PAGE)).as("nothing is pinned without a domain").isZero();
        int g = (int) r.calls.openGroup(NIC_GROUP);
        assertThat(r.calls.setContainer(g, ec)).as("replay pins the bad mapping").isEqualTo(Errno.EFAULT.ret());
        assertThat(r.nic.domain()).isNull();
        assertThat(r.calls.unmapDma(ec, 0, PAGE, 0).ret()).isZero();
        assertThat(r.calls.setContainer(g, ec)).isZero();
        assertThat(r.nic.domain()).isNotNull();
    }

    @Test
    void v2UnmapMustNotBisectAMapping() {
        rig.calls.mapDma(c, ram, MB, 2 * MB);
        assertThat(rig.calls.unmapDma(c, MB + PAGE, MB, 0).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, 2 * MB, 0).ret()).as("ends inside").isEqualTo(Errno.EINVAL.ret());
        ContainerCalls.Unmapped u = rig.calls.unmapDma(c, 0, 8 * MB, 0);
        assertThat(u.ret()).isZero();
        assertThat(u.size()).as("whole mappings and holes").isEqualTo(2 * MB);
        assertThat(rig.calls.unmapDma(c, 0, 8 * MB, 0).size()).as("nothing left: success, size 0").isZero();
    }

    @Test
    void unmapChecksItsArgumentsInOrder() {
        assertThat(rig.calls.unmapDma(c, 0, PAGE, 8).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 512, PAGE, 0).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, 0, 0).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, PAGE + 1, 0).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, -PAGE, 2 * PAGE, 0).ret()).isEqualTo(Errno.EOVERFLOW.ret());
        ContainerCalls.Unmapped bad = rig.calls.unmapDma(c, 0, 2 * PAGE, 8);
        assertThat(bad.size()).as("size is not written back on failure").isEqualTo(2 * PAGE);
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void unmapAllTakesNoRange() {
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.mapDma(c, ram, 4 * MB, MB);
        assertThat(rig.calls.unmapDma(c, 0, PAGE, ALL).ret()).isEqualTo(Errno.EINVAL.ret());
        ContainerCalls.Unmapped u = rig.calls.unmapDma(c, 0, 0, ALL);
        assertThat(u.ret()).isZero();
        assertThat(u.size()).isEqualTo(2 * MB);
    }

    @Test
    void v1UnmapTakesWholeMappingsStartingInTheRangeAndStopsAtOneStartingBefore() {
        Type1Rig r = new Type1Rig();
        int v1 = r.container(Structs.VFIO_TYPE1_IOMMU, NIC_GROUP);
        long vram = r.ram(8 * MB);
        r.calls.mapDma(v1, vram, MB, 2 * MB);
        ContainerCalls.Unmapped inside = r.calls.unmapDma(v1, MB + PAGE, PAGE, 0);
        assertThat(inside.ret()).isZero();
        assertThat(inside.size()).as("offset into a mapping: success, nothing unmapped").isZero();
        ContainerCalls.Unmapped head = r.calls.unmapDma(v1, MB, PAGE, 0);
        assertThat(head.size()).as("covering its first page unmaps it all").isEqualTo(2 * MB);
    }

    @Test
    void vaddrCanBeInvalidatedAndReplacedButNotTwice() {
        rig.calls.mapDma(c, ram, 0, MB);
        rig.calls.mapDma(c, ram + MB, MB, MB);
        assertThat(rig.calls.mapDma(c, ram, 0, MB, Structs.VFIO_DMA_MAP_FLAG_VADDR)).as("still valid")
                .isEqualTo(Errno.EINVAL.ret());
        ContainerCalls.Unmapped inv = rig.calls.unmapDma(c, MB, MB, VADDR);
        assertThat(inv.ret()).isZero();
        assertThat(inv.size()).isEqualTo(MB);
        assertThat(rig.calls.unmapDma(c, 0, 2 * MB, VADDR).ret()).as("the second is invalid already")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, MB, Structs.VFIO_DMA_MAP_FLAG_VADDR))
                .as("the failed call made the first valid again").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.mapDma(c, ram, 8 * MB, MB, Structs.VFIO_DMA_MAP_FLAG_VADDR)).isEqualTo(Errno.ENOENT.ret());
        assertThat(rig.calls.mapDma(c, ram, 0, 2 * MB, Structs.VFIO_DMA_MAP_FLAG_VADDR))
                .as("must name the mapping exactly").isEqualTo(Errno.EINVAL.ret());
        int g = (int) rig.calls.openGroup(Type1Rig.NIC2_GROUP);
        assertThat(rig.calls.setContainer(g, c)).as("attach needs every vaddr valid").isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.calls.mapDma(c, ram + 8 * MB, MB, MB, Structs.VFIO_DMA_MAP_FLAG_VADDR)).isZero();
        assertThat(rig.calls.setContainer(g, c)).isZero();
    }

    @Test
    void vaddrUpdatesAreRefusedWithAnEmulatedGroup() {
        Type1Rig r = new Type1Rig();
        int mc = r.v2(NIC_GROUP, MDEV_GROUP);
        assertThat(r.calls.unmapDma(mc, 0, PAGE, VADDR).ret()).isEqualTo(Errno.EBUSY.ret());
    }

    @Test
    void unmapWithBitmapChecksItsBitmapBeforeTheRange() {
        long get = Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP;
        assertThat(rig.calls.unmapDma(c, 0, 0, get | ALL).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, PAGE, get | VADDR).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.unmapDma(c, 0, PAGE, get).ret()).as("argsz < 48").isEqualTo(Errno.EINVAL.ret());
        rig.calls.mapDma(c, ram, 0, MB);
        assertThat(rig.calls.unmapDmaGetBitmap(c, 0, MB, PAGE).ret()).as("tracking off")
                .isEqualTo(Errno.EINVAL.ret());
        rig.calls.dirtyStart(c);
        assertThat(unmapWithBitmap(0, MB, PAGE, 24, 0x1000)).as("bitmap smaller than the range needs")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(unmapWithBitmap(0, MB, PAGE, 32, -8L)).as("not a user address").isEqualTo(Errno.EINVAL.ret());
        assertThat(unmapWithBitmap(0, MB, 2 * PAGE, 32, 0x1000)).as("pgsize").isEqualTo(Errno.EINVAL.ret());
        assertThat(unmapWithBitmap(0, MB, PAGE, 32, 0x1000)).as("passes the checks, then faults writing")
                .isEqualTo(Errno.EFAULT.ret());
    }

    private long unmapWithBitmap(long iova, long size, long pgsize, long bytes, long data) {
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;
        try (UStruct s = new UStruct(rig.vmm.memory(), l, Structs.VFIO_BITMAP.size())) {
            s.set("argsz", 48).set("flags", Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP).set("iova", iova)
                    .set("size", size);
            byte[] bm = new byte[24];
            Structs.VFIO_BITMAP.field("pgsize").put(bm, 0, pgsize);
            Structs.VFIO_BITMAP.field("size").put(bm, 0, bytes);
            Structs.VFIO_BITMAP.field("data").put(bm, 0, data);
            s.payload(bm);
            return rig.t.ioctl(c, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), s.addr());
        }
    }
}
