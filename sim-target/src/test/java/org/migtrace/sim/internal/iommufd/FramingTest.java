package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

class FramingTest {
    final Fixture f = new Fixture();
    final int fd = (int) f.calls.open();

    long ioasAllocWithSize(long size, byte[] trailing) {
        UStruct s = new UStruct(f.mem, Structs.IOMMU_IOAS_ALLOC, trailing.length);
        s.set("size", size).payload(trailing);
        long rc = f.t.ioctl(fd, Ioctl.IOMMU_IOAS_ALLOC.number(), s.addr());
        return rc < 0 ? rc : s.get("out_ioas_id");
    }

    @Test
    void sizeBelowTheLastMandatoryMemberIsEinval() {
        assertThat(ioasAllocWithSize(11, new byte[0])).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void largerStructWithNonZeroTrailingBytesIsE2big() {
        assertThat(ioasAllocWithSize(20, new byte[] {0, 0, 0, 1, 0, 0, 0, 0})).isEqualTo(Errno.E2BIG.ret());
    }

    @Test
    void largerStructWithZeroTrailingBytesIsAccepted() {
        assertThat(ioasAllocWithSize(20, new byte[8])).isEqualTo(1);
    }

    @Test
    void trailingBytesThatFaultAreEfault() {
        assertThat(ioasAllocWithSize(4096, new byte[4])).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void unreadableSizeIsEfaultAndForeignTypeBitsAreEnotty() {
        assertThat(f.t.ioctl(fd, Ioctl.IOMMU_IOAS_ALLOC.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_IOAS_ALLOC)) {
            s.set("size", 12);
            long withSizeBits = Ioctl.IOMMU_IOAS_ALLOC.number() | (12L << 16);
            assertThat(f.t.ioctl(fd, withSizeBits, s.addr())).isEqualTo(Errno.ENOTTY.ret());
        }
    }

    @Test
    void numbersOutsideTheTableGoToTheVfioCompatLayer() {
        assertThat(f.t.ioctl(fd, Ioctl.VFIO_GET_API_VERSION.number(), 0)).isZero();
        assertThat(f.t.ioctl(fd, Ioctl.VFIO_CHECK_EXTENSION.number(), Structs.VFIO_TYPE1v2_IOMMU)).isEqualTo(1);
        // no compat IOAS yet: the IOMMU calls answer ENODEV, DIRTY_PAGES and unknown numbers ENOTTY
        assertThat(f.t.ioctl(fd, Ioctl.VFIO_SET_IOMMU.number(), Structs.VFIO_TYPE1v2_IOMMU)).isEqualTo(Errno.ENODEV.ret());
        try (UStruct m = new UStruct(f.mem, Structs.VFIO_IOMMU_TYPE1_DMA_MAP)) {
            m.set("argsz", 32).set("flags", 3).set("size", 4096);
            assertThat(f.t.ioctl(fd, Ioctl.VFIO_IOMMU_MAP_DMA.number(), m.addr())).isEqualTo(Errno.ENODEV.ret());
        }
        assertThat(f.t.ioctl(fd, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), 0)).isEqualTo(Errno.ENOTTY.ret());
        assertThat(f.t.ioctl(fd, 0x3B8D, 0)).isEqualTo(Errno.ENOTTY.ret());
    }

    @Test
    void compatMapAndUnmapWorkOnTheIoasSetWithVfioIoas() {
        long ioas = f.calls.ioasAlloc(fd);
        try (UStruct v = new UStruct(f.mem, Structs.IOMMU_VFIO_IOAS)) {
            v.set("size", 12).set("op", Structs.IOMMU_VFIO_IOAS_GET);
            assertThat(f.t.ioctl(fd, Ioctl.IOMMU_VFIO_IOAS.number(), v.addr())).isEqualTo(Errno.ENODEV.ret());
            v.set("op", Structs.IOMMU_VFIO_IOAS_SET).set("ioas_id", ioas);
            assertThat(f.t.ioctl(fd, Ioctl.IOMMU_VFIO_IOAS.number(), v.addr())).isZero();
        }
        long ram = f.ram(1 << 20);
        try (UStruct m = new UStruct(f.mem, Structs.VFIO_IOMMU_TYPE1_DMA_MAP);
             UStruct u = new UStruct(f.mem, Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP)) {
            m.set("argsz", 32).set("flags", 3).set("vaddr", ram).set("iova", 1 << 20).set("size", 1 << 20);
            assertThat(f.t.ioctl(fd, Ioctl.VFIO_IOMMU_MAP_DMA.number(), m.addr())).isZero();
            u.set("argsz", 24).set("iova", 1 << 20).set("size", 1 << 20);
            assertThat(f.t.ioctl(fd, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), u.addr())).isZero();
            assertThat(u.get("size")).isEqualTo(1 << 20);
            // current kernels: unmapping an empty range through compat is success, as in type1
            assertThat(f.t.ioctl(fd, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), u.addr())).isZero();
            assertThat(u.get("size")).isZero();
        }
    }

    @Test
    void idsStartAtOneAndTheLowestFreeIdIsReused() {
        assertThat(f.calls.ioasAlloc(fd)).isEqualTo(1);
        assertThat(f.calls.ioasAlloc(fd)).isEqualTo(2);
        assertThat(f.calls.ioasAlloc(fd)).isEqualTo(3);
        assertThat(f.calls.destroy(fd, 2)).isZero();
        assertThat(f.calls.ioasAlloc(fd)).isEqualTo(2);
        assertThat(f.calls.destroy(fd, 9)).isEqualTo(Errno.ENOENT.ret());
    }

    @Test
    void ioasAllocRejectsFlags() {
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_IOAS_ALLOC)) {
            s.set("size", 12).set("flags", 1);
            assertThat(f.t.ioctl(fd, Ioctl.IOMMU_IOAS_ALLOC.number(), s.addr())).isEqualTo(Errno.EOPNOTSUPP.ret());
        }
    }

    @Test
    void objectsInUseCannotBeDestroyed() {
        Fixture g = new Fixture().bound();
        long hwpt = g.dirtyHwptAttached();
        assertThat(g.calls.destroy(g.iommufd, g.ioas)).isEqualTo(Errno.EBUSY.ret());
        assertThat(g.calls.destroy(g.iommufd, hwpt)).isEqualTo(Errno.EBUSY.ret());
        assertThat(g.calls.destroy(g.iommufd, g.devId)).isEqualTo(Errno.EBUSY.ret());
        assertThat(g.calls.detach(g.devFd)).isZero();
        assertThat(g.calls.destroy(g.iommufd, hwpt)).isZero();
        assertThat(g.calls.destroy(g.iommufd, g.ioas)).isZero();
    }

    @Test
    void theContextStaysAliveWhileABoundDeviceHoldsIt() {
        Fixture g = new Fixture().bound();
        g.dirtyHwptAttached();
        assertThat(g.t.close(g.iommufd)).isZero();
        assertThat(g.dev0.domain()).isNotNull();
        assertThat(g.t.close(g.devFd)).isZero();
        assertThat(g.dev0.domain()).isNull();
        assertThat(g.dev0.openCount()).isZero();
    }
}
