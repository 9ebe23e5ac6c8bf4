package org.migtrace.sim.internal.vendor.v1;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1DeviceConfig.TrapArea;
import org.migtrace.sim.vmm.VfioRegions;
import org.migtrace.uapi.Errno;

class V1TrapTest {
    private static final int PROT = Syscalls.PROT_READ | Syscalls.PROT_WRITE;
    /** 64 KiB BAR0 whose page at 0x2000 (the i40e VF ring tails) is trapped while SAVING. */
    private static final V1DeviceConfig TRAP = V1DeviceConfig.builder().bar0Size(0x10000)
            .trap(new TrapArea(0x2000, 0x1000)).validateResume(false).build();

    private static long map(V1Rig rig, int fd, long offset, long length) {
        return rig.t.mmap(length, PROT, Syscalls.MAP_SHARED, fd, offset);
    }

    @Test
    void sparseLayoutLeavesTheTrappedPageOutWhileSaving() {
        V1Rig rig = new V1Rig(TRAP);
        assertThat(VfioRegions.get(rig.t, rig.fd, 0).sparseAreas()).containsExactly(new long[] {0, 0x10000});
        assertThat(rig.setState(3)).isEqualTo(4);
        assertThat(VfioRegions.get(rig.t, rig.fd, 0).sparseAreas()).containsExactly(new long[] {0, 0x2000},
                new long[] {0x3000, 0xD000});
        assertThat(rig.setState(1)).isEqualTo(4);
        assertThat(VfioRegions.get(rig.t, rig.fd, 0).sparseAreas()).containsExactly(new long[] {0, 0x10000});
    }

    @Test
    void savingIsRefusedWhileAMappingCoversTheTrappedPageAndAllowedAfterMunmap() {
        V1Rig rig = new V1Rig(TRAP);
        long whole = map(rig, rig.fd, 0, 0x10000);
        assertThat(whole).isPositive();
        assertThat(rig.setState(3)).isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.setState(2)).isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.state()).isEqualTo(1);
        assertThat(rig.events).isEmpty();

        assertThat(rig.t.munmap(whole, 0x10000)).isZero();
        assertThat(rig.setState(3)).isEqualTo(4);
    }

    @Test
    void mappingsAroundTheTrapDoNotBlockSaving() {
        V1Rig rig = new V1Rig(TRAP);
        assertThat(map(rig, rig.fd, 0, 0x2000)).isPositive();
        assertThat(map(rig, rig.fd, 0x3000, 0xD000)).isPositive();
        assertThat(rig.setState(2)).isEqualTo(4);
    }

    @Test
    void aMappingOutlivingItsFdStillBlocksSaving() {
        V1Rig rig = new V1Rig(TRAP);
        int second = (int) rig.t.open("/dev/test/dev0");
        assertThat(map(rig, second, 0x2000, 0x1000)).isPositive();
        assertThat(rig.t.close(second)).isZero();
        assertThat(rig.setState(3)).isEqualTo(Errno.EBUSY.ret());
    }

    @Test
    void trappedPageCannotBeMappedWhileSaving() {
        V1Rig rig = new V1Rig(TRAP);
        rig.setState(3);
        assertThat(map(rig, rig.fd, 0x2000, 0x1000)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(rig, rig.fd, 0, 0x10000)).isEqualTo(Errno.EINVAL.ret());
        assertThat(map(rig, rig.fd, 0x1000, 0x1000)).isPositive();
        rig.setState(2);
        assertThat(map(rig, rig.fd, 0x2000, 0x1000)).as("stop-and-copy is SAVING too").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.reset()).isZero();
        assertThat(map(rig, rig.fd, 0x2000, 0x1000)).as("reset ends the trap").isPositive();
    }

    @Test
    void trappedAccessesAreCountedOnlyWhileSaving() {
        V1Rig rig = new V1Rig(TRAP);
        rig.t.pwrite(rig.fd, rig.buf, 4, 0x2008);
        assertThat(rig.vendor().trappedAccesses()).isZero();
        rig.setState(3);
        rig.t.pwrite(rig.fd, rig.buf, 4, 0x2008);
        rig.t.pread(rig.fd, rig.buf, 4, 0x2ffc);
        rig.t.pwrite(rig.fd, rig.buf, 4, 0x1000);
        assertThat(rig.vendor().trappedAccesses()).isEqualTo(2);
    }
}
