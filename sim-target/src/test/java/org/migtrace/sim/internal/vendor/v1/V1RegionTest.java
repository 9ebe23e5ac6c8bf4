package org.migtrace.sim.internal.vendor.v1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.sim.vmm.V1Calls;
import org.migtrace.sim.vmm.VfioRegions;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

class V1RegionTest {
    private static final V1DeviceConfig MMAP_NDMA = V1DeviceConfig.builder().ndma(true).mmapData(true)
            .dataOffset(4096).dataWindowBytes(16 * 1024).build();

    @Test
    void deviceReportsTenRegions() {
        V1Rig rig = new V1Rig(MMAP_NDMA);
        try (UStruct info = new UStruct(rig.mem, Structs.VFIO_DEVICE_INFO)) {
            info.set("argsz", Structs.VFIO_DEVICE_INFO.size());
            assertThat(rig.t.ioctl(rig.fd, Ioctl.VFIO_DEVICE_GET_INFO.number(), info.addr())).isZero();
            assertThat(info.get("num_regions")).isEqualTo(10);
        }
    }

    @Test
    void shortArgszGetsTheChainSizeAndTheCapsFlag() {
        V1Rig rig = new V1Rig(MMAP_NDMA);
        try (UStruct info = new UStruct(rig.mem, Structs.VFIO_REGION_INFO)) {
            info.set("argsz", Structs.VFIO_REGION_INFO.size()).set("index", 9);
            assertThat(rig.t.ioctl(rig.fd, Ioctl.VFIO_DEVICE_GET_REGION_INFO.number(), info.addr())).isZero();
            // type cap 16 + sparse mmap with one area 32 + NDMA header 8
            assertThat(info.get("argsz")).isEqualTo(32 + 16 + 32 + 8);
            assertThat(info.get("cap_offset")).isZero();
            assertThat(info.get("flags") & Structs.VFIO_REGION_INFO_FLAG_CAPS).isNotZero();
        }
    }

    @Test
    void migrationRegionCarriesTypeSparseMmapAndNdmaCapabilities() {
        V1Rig rig = new V1Rig(MMAP_NDMA);
        V1Calls qemu = new V1Calls(rig.t, rig.fd);
        assertThat(qemu.findMigrationRegion()).isZero();
        VfioRegions.Info r = qemu.region();
        assertThat(r.index()).isEqualTo(9);
        assertThat(r.offset()).isEqualTo(9L << 40);
        assertThat(r.size()).isEqualTo(4096 + 16 * 1024);
        assertThat(r.flags()).isEqualTo(Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE
                | Structs.VFIO_REGION_INFO_FLAG_MMAP | Structs.VFIO_REGION_INFO_FLAG_CAPS);
        assertThat(r.caps()).extracting(VfioRegions.Cap::id).containsExactly(Structs.VFIO_REGION_INFO_CAP_TYPE,
                Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP, Structs.VFIO_REGION_INFO_CAP_MIG_NDMA);
        assertThat(r.caps()).allMatch(c -> c.version() == 1);
        assertThat(r.caps()).extracting(VfioRegions.Cap::offset).containsExactly(32, 48, 80);
        assertThat(r.type()).containsExactly(3, 1);
        assertThat(r.sparseAreas()).containsExactly(new long[] {4096, 16 * 1024});
        assertThat(r.cap(Structs.VFIO_REGION_INFO_CAP_MIG_NDMA).bytes()).hasSize(8);
    }

    @Test
    void plainDeviceHasOnlyTheTypeCapability() {
        V1Rig rig = new V1Rig(V1DeviceConfig.builder().build());
        V1Calls qemu = new V1Calls(rig.t, rig.fd);
        assertThat(qemu.findMigrationRegion()).isZero();
        assertThat(qemu.region().caps()).extracting(VfioRegions.Cap::id).containsExactly(Structs.VFIO_REGION_INFO_CAP_TYPE);
        assertThat(qemu.region().flags() & Structs.VFIO_REGION_INFO_FLAG_MMAP).isZero();
        assertThat(rig.t.mmap(4096, Syscalls.PROT_READ, Syscalls.MAP_SHARED, rig.fd, V1Rig.MIG + 4096))
                .isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void onlyTheDataWindowCanBeMapped() {
        V1Rig rig = new V1Rig(MMAP_NDMA);
        int prot = Syscalls.PROT_READ | Syscalls.PROT_WRITE;
        assertThat(rig.t.mmap(16 * 1024, prot, Syscalls.MAP_SHARED, rig.fd, V1Rig.MIG + 4096)).isPositive();
        assertThat(rig.t.mmap(4096, prot, Syscalls.MAP_SHARED, rig.fd, V1Rig.MIG)).as("register page")
                .isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.t.mmap(16 * 1024 + 4096, prot, Syscalls.MAP_SHARED, rig.fd, V1Rig.MIG + 4096)).as("past the end")
                .isEqualTo(Errno.EINVAL.ret());
    }
}
