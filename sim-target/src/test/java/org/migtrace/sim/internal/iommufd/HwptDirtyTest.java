package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

class HwptDirtyTest {
    static final long IOVA = 1L << 30;
    static final long LEN = 128 * 4096L;

    final Fixture f = new Fixture().bound();

    Hwpt hwptObject(long id) {
        IommufdCtx ictx = (IommufdCtx) f.qemu.fdTable().get(f.iommufd).file();
        return (Hwpt) ictx.objects().get(id);
    }

    /** RAM mapped at {@link #IOVA}, a dirty HWPT with dev0 attached, tracking on. */
    long tracking() {
        long ram = f.ram(LEN);
        assertThat(f.calls.ioasMap(f.iommufd, f.ioas, ram, LEN, IOVA, null)).isZero();
        long hwpt = f.dirtyHwptAttached();
        assertThat(f.calls.setDirtyTracking(f.iommufd, hwpt, true)).isZero();
        return hwpt;
    }

    long get(long hwpt, long flags, long reserved, long iova, long length, long pageSize, long data) {
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_HWPT_GET_DIRTY_BITMAP)) {
            s.set("size", 48).set("hwpt_id", hwpt).set("flags", flags).set("__reserved", reserved)
                    .set("iova", iova).set("length", length).set("page_size", pageSize).set("data", data);
            return f.t.ioctl(f.iommufd, Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP.number(), s.addr());
        }
    }

    long set(long hwpt, long flags, long reserved) {
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_HWPT_SET_DIRTY_TRACKING)) {
            s.set("size", 16).set("flags", flags).set("hwpt_id", hwpt).set("__reserved", reserved);
            return f.t.ioctl(f.iommufd, Ioctl.IOMMU_HWPT_SET_DIRTY_TRACKING.number(), s.addr());
        }
    }

    long alloc(long flags, long devId, long ptId, long reserved, long dataType, long dataLen) {
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_HWPT_ALLOC)) {
            s.set("size", 40).set("flags", flags).set("dev_id", devId).set("pt_id", ptId).set("__reserved", reserved)
                    .set("data_type", dataType).set("data_len", dataLen);
            long rc = f.t.ioctl(f.iommufd, Ioctl.IOMMU_HWPT_ALLOC.number(), s.addr());
            return rc < 0 ? rc : s.get("out_hwpt_id");
        }
    }

    long bindDev1() {
        int fd1 = (int) f.t.open(Iommufd.cdevPath(1));
        return fd1;
    }

    @Test
    void hwInfoReportsTheDirtyCapabilityOfTheDevicesIommu() {
        assertThat(f.calls.hwCapabilities(f.iommufd, f.devId)).isEqualTo(Structs.IOMMU_HW_CAP_DIRTY_TRACKING);
        int fd1 = (int) bindDev1();
        long dev1 = f.calls.bind(fd1, f.iommufd);
        assertThat(f.calls.hwCapabilities(f.iommufd, dev1)).isZero();
        assertThat(f.calls.hwCapabilities(f.iommufd, f.ioas)).isEqualTo(Errno.ENOENT.ret());
    }

    @Test
    void hwptAllocChecksInTheKernelsOrder() {
        int dirty = Structs.IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
        assertThat(alloc(dirty, f.devId, f.ioas, 1, 0, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(alloc(dirty, f.devId, f.ioas, 0, 0, 8)).isEqualTo(Errno.EINVAL.ret());
        assertThat(alloc(dirty, f.devId, f.ioas, 0, 1, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(alloc(dirty, 77, f.ioas, 0, 0, 0)).isEqualTo(Errno.ENOENT.ret());
        assertThat(alloc(dirty, f.devId, 77, 0, 0, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(alloc(4, f.devId, f.ioas, 0, 0, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(alloc(dirty, f.devId, f.devId, 0, 0, 0)).isEqualTo(Errno.EINVAL.ret());
        int fd1 = (int) bindDev1();
        long dev1 = f.calls.bind(fd1, f.iommufd);
        assertThat(alloc(dirty, dev1, f.ioas, 0, 0, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(alloc(0, dev1, f.ioas, 0, 0, 0)).isPositive();
    }

    @Test
    void aDirtyTrackingHwptRefusesADeviceWhoseIommuCannotTrack() {
        long hwpt = f.dirtyHwptAttached();
        int fd1 = (int) bindDev1();
        f.calls.bind(fd1, f.iommufd);
        assertThat(f.calls.attach(fd1, hwpt)).isEqualTo(Errno.EINVAL.ret());
        long auto = f.calls.attach(fd1, f.ioas);
        assertThat(auto).isPositive().isNotEqualTo(hwpt);
        assertThat(set(auto, 1, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
    }

    @Test
    void aNewHwptHoldsTheMappingsTheIoasAlreadyHas() {
        long ram = f.ram(LEN);
        f.calls.ioasMap(f.iommufd, f.ioas, ram, LEN, IOVA, null);
        f.dirtyHwptAttached();
        assertThat(f.dma(IOVA, LEN)).isZero();
        assertThat(f.dma(IOVA + LEN, 4096)).isEqualTo(4096);
    }

    @Test
    void setDirtyTrackingChecksFlagsThenIdThenDirtyOpsButNotReserved() {
        long hwpt = tracking();
        assertThat(set(hwpt, 2, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(set(77, 1, 0)).isEqualTo(Errno.ENOENT.ret());
        assertThat(set(f.ioas, 1, 0)).isEqualTo(Errno.ENOENT.ret());
        assertThat(set(hwpt, 1, 0xdead)).isZero();
        long plain = f.calls.hwptAlloc(f.iommufd, f.devId, f.ioas, 0);
        assertThat(set(plain, 1, 0)).isEqualTo(Errno.EOPNOTSUPP.ret());
    }

    @Test
    void getChecksInTheKernelsOrder() {
        long hwpt = tracking();
        long data = f.bitmap(LEN, 4096, 0);
        assertThat(get(hwpt, 2, 0, IOVA, LEN, 4096, data)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(get(hwpt, 0, 1, IOVA, LEN, 4096, data)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(get(77, 0, 0, IOVA, LEN, 4096, data)).isEqualTo(Errno.ENOENT.ret());
        assertThat(get(hwpt, 0, 0, IOVA, 0, 4096, data)).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(get(hwpt, 0, 0, -8192L, 16384, 4096, data)).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(get(hwpt, 0, 0, IOVA + 2048, LEN, 4096, data)).isEqualTo(Errno.EINVAL.ret());
        assertThat(get(hwpt, 0, 0, IOVA, LEN + 2048, 4096, data)).isEqualTo(Errno.EINVAL.ret());
        assertThat(get(hwpt, 0, 0, IOVA, LEN, 0, data)).isEqualTo(Errno.EINVAL.ret());
        assertThat(get(hwpt, 0, 0, IOVA + 4096, LEN, 8192, data)).isEqualTo(Errno.EINVAL.ret());
        long plain = f.calls.hwptAlloc(f.iommufd, f.devId, f.ioas, 0);
        assertThat(get(plain, 0, 0, IOVA, LEN, 4096, data)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(get(hwpt, 0, 0, IOVA, LEN, 4096, data)).isZero();
    }

    @Test
    void enableStartsCleanEvenWhenTrackingWasAlreadyOn() {
        long hwpt = tracking();
        f.dma(IOVA, 4096);
        assertThat(f.calls.setDirtyTracking(f.iommufd, hwpt, true)).isZero();
        long data = f.bitmap(LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, false)).isZero();
        assertThat(f.calls.countBits(data, 128)).isZero();
    }

    @Test
    void disableKeepsTheBitsButNothingIsReportedWhileOffAndEnableClearsThem() {
        long hwpt = tracking();
        f.dma(IOVA, 3 * 4096);
        assertThat(f.calls.setDirtyTracking(f.iommufd, hwpt, false)).isZero();
        assertThat(hwptObject(hwpt).table(IOVA).dirtyCount()).isEqualTo(3);
        long data = f.bitmap(LEN, 4096, 0);
        // the driver refuses to report while tracking is off; the ioctl still returns 0
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, false)).isZero();
        assertThat(f.calls.countBits(data, 128)).isZero();
        f.dma(IOVA + 64 * 4096, 4096); // not tracked while off
        assertThat(hwptObject(hwpt).table(IOVA).dirtyCount()).isEqualTo(3);
        f.calls.setDirtyTracking(f.iommufd, hwpt, true);
        assertThat(hwptObject(hwpt).table(IOVA).dirtyCount()).isZero();
    }

    @Test
    void getClearsTheBitsUnlessNoClear() {
        long hwpt = tracking();
        f.dma(IOVA + 5 * 4096, 100);
        long a = f.bitmap(LEN, 4096, 0);
        long b = f.bitmap(LEN, 4096, 0);
        long c = f.bitmap(LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, a, true)).isZero();
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, b, false)).isZero();
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, c, false)).isZero();
        assertThat(f.calls.bit(a, 5)).isTrue();
        assertThat(f.calls.countBits(a, 128)).isEqualTo(1);
        assertThat(f.calls.bit(b, 5)).isTrue();
        assertThat(f.calls.countBits(c, 128)).isZero();
    }

    @Test
    void aHoleEndsTheWalkButTheIoctlSucceedsWithTheBitsBeforeIt() {
        long hwpt = tracking();
        long ram = f.ram(LEN);
        long second = IOVA + 2 * LEN;
        f.calls.ioasMap(f.iommufd, f.ioas, ram, LEN, second, null);
        f.dma(IOVA, 4096);
        f.dma(second, 4096);
        long data = f.bitmap(3 * LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, 3 * LEN, 4096, data, false)).isZero();
        assertThat(f.calls.bit(data, 0)).isTrue();
        assertThat(f.calls.bit(data, 256)).isFalse();
        // the area past the hole kept its bit
        long after = f.bitmap(LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, second, LEN, 4096, after, false)).isZero();
        assertThat(f.calls.bit(after, 0)).isTrue();
        // a range that starts in a hole reports nothing at all
        long none = f.bitmap(2 * LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA + LEN, 2 * LEN, 4096, none, false)).isZero();
        assertThat(f.calls.countBits(none, 256)).isZero();
    }

    @Test
    void unalignedUserBitmapsGetTheSameBits() {
        long hwpt = tracking();
        for (int misalign : new int[] {0, 2048, 0xFF1}) {
            for (long p = 0; p < 128; p += 2) {
                f.dma(IOVA + p * 4096, 8);
            }
            long data = f.bitmap(LEN, 4096, misalign);
            assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, false)).isZero();
            for (long p = 0; p < 128; p++) {
                assertThat(f.calls.bit(data, p)).as("page %d at +0x%x", p, misalign).isEqualTo(p % 2 == 0);
            }
        }
    }

    @Test
    void aWriteToAHugeIopteDirtiesAllOfItsPages() {
        long ram = f.hugeRam(4 * Fixture.MB2);
        f.calls.ioasMap(f.iommufd, f.ioas, ram, 4 * Fixture.MB2, IOVA, null);
        long hwpt = f.dirtyHwptAttached();
        f.calls.setDirtyTracking(f.iommufd, hwpt, true);
        assertThat(hwptObject(hwpt).table(IOVA).pageSizeAt(IOVA)).isEqualTo(Fixture.MB2);
        f.dma(IOVA + Fixture.MB2 + 4096 + 5, 1);
        long data = f.bitmap(4 * Fixture.MB2, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, 4 * Fixture.MB2, 4096, data, true)).isZero();
        assertThat(f.calls.countBits(data, 2048)).isEqualTo(512);
        assertThat(f.calls.bit(data, 511)).isFalse();
        assertThat(f.calls.bit(data, 512)).isTrue();
        assertThat(f.calls.bit(data, 1023)).isTrue();
        // a bitmap page larger than the IOPTE: the one bit covering it
        long coarse = f.bitmap(4 * Fixture.MB2, 4 * Fixture.MB2, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, 4 * Fixture.MB2, 4 * Fixture.MB2, coarse, false)).isZero();
        assertThat(f.calls.countBits(coarse, 8)).isEqualTo(1);
    }

    @Test
    void ordinaryPagesGiveFourKilobyteIoptes() {
        long hwpt = tracking();
        f.dma(IOVA + 4096, 1);
        long data = f.bitmap(LEN, 4096, 0);
        f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, false);
        assertThat(f.calls.countBits(data, 128)).isEqualTo(1);
        assertThat(hwptObject(hwpt).table(IOVA).pageSizeAt(IOVA)).isEqualTo(4096);
    }

    @Test
    void aBadBitmapPointerSucceedsAndTheClearedBitsAreLost() {
        long hwpt = tracking();
        f.dma(IOVA, 4096);
        // current kernels pin the bitmap lazily inside the walk and ignore the walk's result
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, 0x10, true)).isZero();
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, 0x10, false)).isZero();
        long data = f.bitmap(LEN, 4096, 0);
        assertThat(f.calls.getDirtyBitmap(f.iommufd, hwpt, IOVA, LEN, 4096, data, false)).isZero();
        assertThat(f.calls.countBits(data, 128)).isZero();
    }
}
