package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

class IoasTest {
    final Fixture f = new Fixture().bound();

    long map(long flags, long reserved, long ioas, long va, long length, long iova) {
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_IOAS_MAP)) {
            s.set("size", 40).set("flags", flags).set("__reserved", reserved).set("ioas_id", ioas)
                    .set("user_va", va).set("length", length).set("iova", iova);
            return f.t.ioctl(f.iommufd, Ioctl.IOMMU_IOAS_MAP.number(), s.addr());
        }
    }

    @Test
    void mapChecksInTheKernelsOrder() {
        long ram = f.ram(1 << 20);
        long rw = Structs.IOMMU_IOAS_MAP_READABLE | Structs.IOMMU_IOAS_MAP_WRITEABLE;
        long fixed = rw | Structs.IOMMU_IOAS_MAP_FIXED_IOVA;
        assertThat(map(8 | rw, 0, 99, ram, 4096, -1L)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(map(rw, 1, 99, ram, 4096, -1L)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(map(rw, 0, 99, ram, 4096, -1L)).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(map(Structs.IOMMU_IOAS_MAP_FIXED_IOVA, 0, 99, ram, 4096, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(fixed, 0, 99, ram, 4096, 0)).isEqualTo(Errno.ENOENT.ret());
        assertThat(map(fixed, 0, f.ioas, ram, 0, 0)).isEqualTo(Errno.EINVAL.ret());
        f.dirtyHwptAttached(); // alignment becomes 4096
        assertThat(map(fixed, 0, f.ioas, ram, 2048, 0)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(fixed, 0, f.ioas, ram, 4096, 0x800)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(fixed, 0, f.ioas, ram, 4096, DeviceAttach.MSI_START)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(fixed, 0, f.ioas, ram, 4096, Hwpt.APERTURE_END + 1)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(fixed, 0, f.ioas, ram, 8192, 0x10000)).isZero();
        assertThat(map(fixed, 0, f.ioas, ram, 4096, 0x11000)).isEqualTo(Errno.EEXIST.ret());
        assertThat(map(fixed, 0, f.ioas, ram + 0x800, 4096, 0x20000)).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void mapWithoutFixedIovaPicksOneAndWritesItBack() {
        long ram = f.ram(4 << 20);
        long[] iova = new long[1];
        assertThat(f.calls.ioasMap(f.iommufd, f.ioas, ram, 4 << 20, -1, iova)).isZero();
        // never IOVA 0: the search starts at PAGE_SIZE, aligned to the user address (capped at 2 MiB)
        assertThat(iova[0]).isEqualTo(2 << 20);
        long[] second = new long[1];
        assertThat(f.calls.ioasMap(f.iommufd, f.ioas, ram, 1 << 20, -1, second)).isZero();
        // first fit below the first area: 1 MiB aligned (the length), in [4 KiB, 2 MiB)
        assertThat(second[0]).isEqualTo(1 << 20);
    }

    @Test
    void mapOfMemoryThatCannotBePinnedFailsOnceADomainNeedsIt() {
        f.dirtyHwptAttached();
        assertThat(f.calls.ioasMap(f.iommufd, f.ioas, 0x6000_0000_0000L, 4096, 0x10000, null)).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void unmapAllSucceedsEvenWhenEmptyAndReportsTheBytes() {
        long[] n = {-1};
        assertThat(f.calls.ioasUnmapAll(f.iommufd, f.ioas, n)).isZero();
        assertThat(n[0]).isZero();
        long ram = f.ram(1 << 20);
        f.calls.ioasMap(f.iommufd, f.ioas, ram, 1 << 20, 0x100000, null);
        f.calls.ioasMap(f.iommufd, f.ioas, ram, 1 << 20, 0x400000, null);
        assertThat(f.calls.ioasUnmapAll(f.iommufd, f.ioas, n)).isZero();
        assertThat(n[0]).isEqualTo(2 << 20);
    }

    @Test
    void unmapOfNothingOrOfPartOfAnAreaIsEnoent() {
        long ram = f.ram(1 << 20);
        long[] n = new long[1];
        assertThat(f.calls.ioasUnmap(f.iommufd, 99, 0x100000, 4096, n)).isEqualTo(Errno.ENOENT.ret());
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, 0x100000, 4096, n)).isEqualTo(Errno.ENOENT.ret());
        f.calls.ioasMap(f.iommufd, f.ioas, ram, 1 << 20, 0x100000, null);
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, 0x100000, 4096, n)).isEqualTo(Errno.ENOENT.ret());
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, 0x100000, 0, n)).isEqualTo(Errno.EINVAL.ret());
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, -4096L, 8192, n)).isEqualTo(Errno.EOVERFLOW.ret());
        assertThat(f.calls.ioasUnmap(f.iommufd, f.ioas, 0, 64L << 20, n)).isZero();
        assertThat(n[0]).isEqualTo(1 << 20);
    }

    @Test
    void iovaRangesReportTheHolesOfTheReservedRanges() {
        f.dirtyHwptAttached();
        try (UStruct s = new UStruct(f.mem, Structs.IOMMU_IOAS_IOVA_RANGES);
             UStruct r = new UStruct(f.mem, Structs.IOMMU_IOVA_RANGE, 16)) {
            s.set("size", 32).set("ioas_id", f.ioas).set("num_iovas", 1).set("allowed_iovas", r.addr());
            assertThat(f.t.ioctl(f.iommufd, Ioctl.IOMMU_IOAS_IOVA_RANGES.number(), s.addr())).isEqualTo(Errno.EMSGSIZE.ret());
            assertThat(s.get("num_iovas")).isEqualTo(2);
            assertThat(s.get("out_iova_alignment")).isEqualTo(4096);
            assertThat(r.get("last")).isEqualTo(DeviceAttach.MSI_START - 1);
        }
    }
}
