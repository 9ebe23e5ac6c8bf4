package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC2_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.PAGE;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

class ContainerIoctlTest {
    private final Type1Rig rig = new Type1Rig();

    @Test
    void apiVersionIsZero() {
        int c = (int) rig.calls.openContainer();
        assertThat(rig.calls.apiVersion(c)).isEqualTo(Structs.VFIO_API_VERSION);
    }

    @Test
    void extensionsBeforeSetIommuAskTheDriverWithNoContainerData() {
        int c = (int) rig.calls.openContainer();
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_TYPE1_IOMMU)).isEqualTo(1);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_TYPE1v2_IOMMU)).isEqualTo(1);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_UNMAP_ALL)).isEqualTo(1);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_UPDATE_VADDR)).as("needs the container").isZero();
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_DMA_CC_IOMMU)).as("needs the container").isZero();
        assertThat(rig.calls.checkExtension(c, 6)).as("nesting type removed (6.13)").isZero();
        assertThat(rig.calls.checkExtension(c, 8)).as("no-IOMMU driver not enabled").isZero();
    }

    @Test
    void extensionsAfterSetIommuAskTheContainersBackend() {
        int c = rig.v2(NIC_GROUP);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_UPDATE_VADDR)).isEqualTo(1);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_DMA_CC_IOMMU)).isEqualTo(1);
        int g = (int) rig.calls.openGroup(MDEV_GROUP);
        rig.calls.setContainer(g, c);
        assertThat(rig.calls.checkExtension(c, Structs.VFIO_UPDATE_VADDR)).as("refused with an mdev").isZero();
    }

    @Test
    void setIommuNeedsAGroupAndOnlyOnce() {
        int c = (int) rig.calls.openContainer();
        assertThat(rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU)).isEqualTo(Errno.EINVAL.ret());
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        rig.calls.setContainer(g, c);
        assertThat(rig.calls.setIommu(c, 8)).as("no driver reports it").isEqualTo(Errno.ENODEV.ret());
        assertThat(rig.calls.setIommu(c, Structs.VFIO_UPDATE_VADDR)).isEqualTo(Errno.ENODEV.ret());
        assertThat(rig.calls.setIommu(c, Structs.VFIO_UNMAP_ALL))
                .as("type1 reports the extension, then refuses to open with it").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU)).isZero();
        assertThat(rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU)).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void iommuIoctlsNeedTheIommuSet() {
        int c = (int) rig.calls.openContainer();
        assertThat(rig.calls.mapDma(c, 0, 0, PAGE)).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_ENABLE.number(), 0)).isEqualTo(Errno.EINVAL.ret());
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        rig.calls.setContainer(g, c);
        rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU);
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_ENABLE.number(), 0)).as("spapr only").isEqualTo(Errno.ENOTTY.ret());
    }

    @Test
    void theLastGroupLeavingReleasesTheIommuAndItsMappings() {
        int c = rig.v2(NIC_GROUP);
        long ram = rig.ram(1 << 20);
        assertThat(rig.calls.mapDma(c, ram, 0, 1 << 20)).isZero();
        assertThat(rig.calls.unsetContainer(rig.groupFds.get(NIC_GROUP))).isZero();
        assertThat(rig.calls.getInfo(c).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setContainer(rig.groupFds.get(NIC_GROUP), c)).isZero();
        assertThat(rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU)).isZero();
        assertThat(rig.calls.mapDma(c, ram, 0, 1 << 20)).as("the old mapping is gone").isZero();
    }

    @Test
    void aGroupJoiningASetContainerIsAttachedAtOnce() {
        int c = rig.v2(NIC_GROUP);
        int g2 = (int) rig.calls.openGroup(NIC2_GROUP);
        assertThat(rig.nic2.domain()).isNull();
        assertThat(rig.calls.setContainer(g2, c)).isZero();
        assertThat(rig.nic2.domain()).as("same IOMMU: one domain").isSameAs(rig.nic.domain());
    }

    @Test
    void infoCarriesMigrationDmaAvailAndIovaRangeCaps() {
        int c = rig.v2(NIC_GROUP);
        long ram = rig.ram(1 << 20);
        rig.calls.mapDma(c, ram, 0, 1 << 20);
        ContainerCalls.Info info = rig.calls.getInfo(c);
        assertThat(info.ret()).isZero();
        assertThat(info.flags()).isEqualTo(Structs.VFIO_IOMMU_INFO_PGSIZES | Structs.VFIO_IOMMU_INFO_CAPS);
        assertThat(info.iovaPgsizes()).isEqualTo((1L << 12) | (1L << 21) | (1L << 30));
        assertThat(info.migration()).isEqualTo(new ContainerCalls.Migration(0, 4096, 256L << 20));
        assertThat(info.dmaAvail()).isEqualTo(65534);
        assertThat(info.iovaRanges()).containsExactly(new ContainerCalls.IovaWindow(0, 0xfedf_ffffL),
                new ContainerCalls.IovaWindow(0xfef0_0000L, (1L << 48) - 1));
        assertThat(info.argsz()).as("24 + mig 32 + avail 16 + ranges 16 + 2*16").isEqualTo(24 + 32 + 16 + 48);
    }

    @Test
    void infoWithoutRoomForCapsReportsTheSizeNeededAndNoOffset() {
        int c = rig.v2(NIC_GROUP);
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_INFO;
        try (UStruct s = new UStruct(rig.vmm.memory(), l)) {
            s.set("argsz", l.size()).set("cap_offset", 0xdead);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_GET_INFO.number(), s.addr())).isZero();
            assertThat(s.get("argsz")).isEqualTo(120);
            assertThat(s.get("cap_offset")).isZero();
            assertThat(s.get("flags")).isEqualTo(Structs.VFIO_IOMMU_INFO_PGSIZES | Structs.VFIO_IOMMU_INFO_CAPS);
        }
        try (UStruct s = new UStruct(rig.vmm.memory(), l)) {
            s.set("argsz", 16).set("cap_offset", 0xdead);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_GET_INFO.number(), s.addr())).isZero();
            assertThat(s.get("cap_offset")).as("only min(argsz, 24) bytes copied back").isEqualTo(0xdead);
            assertThat(s.get("iova_pgsizes")).isNotZero();
        }
        try (UStruct s = new UStruct(rig.vmm.memory(), l)) {
            s.set("argsz", 15);
            assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_GET_INFO.number(), s.addr())).isEqualTo(Errno.EINVAL.ret());
        }
        assertThat(rig.t.ioctl(c, Ioctl.VFIO_IOMMU_GET_INFO.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void anEmulatedOnlyContainerHasNoIovaListAndTheCpuPageSizes() {
        int c = rig.v2(MDEV_GROUP);
        ContainerCalls.Info info = rig.calls.getInfo(c);
        assertThat(info.iovaRanges()).isEmpty();
        assertThat(info.iovaPgsizes()).as("PAGE_MASK until an IOMMU domain exists").isEqualTo(-4096L);
        assertThat(info.migration().pgsizeBitmap()).isEqualTo(4096);
    }

    @Test
    void detachingTheLastIommuGroupLeavesTheWholeSpaceToTheEmulatedOnes() {
        int c = rig.v2(NIC_GROUP, MDEV_GROUP);
        assertThat(rig.calls.getInfo(c).iovaRanges()).hasSize(2);
        assertThat(rig.calls.unsetContainer(rig.groupFds.get(NIC_GROUP))).isZero();
        assertThat(rig.calls.getInfo(c).iovaRanges()).containsExactly(new ContainerCalls.IovaWindow(0, -1L));
        assertThat(rig.calls.getInfo(c).iovaPgsizes()).isEqualTo(-4096L);
    }
}
