package org.migtrace.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.ByteSize;
import org.migtrace.sim.scenario.CpuVendor;
import org.migtrace.sim.scenario.GuestSpec;

class GuestMemoryTest {
    static final long GIB = 1L << 30;

    static SimThread vmm() {
        return new SimHost("src", new SimClock()).spawn("qemu-system-x86", 4242).mainThread();
    }

    @Test
    void q35KeepsSmallGuestsBelowTheHole() {
        GuestLayout l = GuestLayout.q35(2 * GIB, 0, CpuVendor.INTEL);
        assertThat(l.below4g()).isEqualTo(2 * GIB);
        assertThat(l.above4g()).isZero();
        assertThat(l.ranges()).hasSize(1);
        GuestLayout l25 = GuestLayout.q35(0xa000_0000L, 0, CpuVendor.INTEL);
        assertThat(l25.below4g()).as("up to 0xb0000000 may stay low").isEqualTo(0xa000_0000L);
    }

    @Test
    void q35SplitsAtTwoGibOnceRamReachesB0000000() {
        GuestLayout exact = GuestLayout.q35(0xb000_0000L, 0, CpuVendor.INTEL);
        assertThat(exact.below4g()).isEqualTo(2 * GIB);
        assertThat(exact.above4g()).isEqualTo(0x3000_0000L);
        assertThat(exact.above4gStart()).isEqualTo(4 * GIB);
        GuestLayout big = GuestLayout.q35(16 * GIB, 0, CpuVendor.INTEL);
        assertThat(big.ranges()).extracting(GuestLayout.Range::name, GuestLayout.Range::gpa,
                GuestLayout.Range::size, GuestLayout.Range::ramOffset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ram-below-4g", 0L, 2 * GIB, 0L),
                        org.assertj.core.groups.Tuple.tuple("ram-above-4g", 4 * GIB, 14 * GIB, 2 * GIB));
    }

    @Test
    void maxRamBelow4gLowersTheSplit() {
        GuestLayout l = GuestLayout.q35(3 * GIB, GIB, CpuVendor.INTEL);
        assertThat(l.below4g()).isEqualTo(GIB);
        assertThat(l.above4g()).isEqualTo(2 * GIB);
        GuestLayout small = GuestLayout.q35(GIB / 2, GIB, CpuVendor.INTEL);
        assertThat(small.below4g()).isEqualTo(GIB / 2);
    }

    @Test
    void amdMovesHighRamPastTheHyperTransportHoleOnlyWhenItWouldReachIt() {
        // pc_max_used_gpa: end of RAM above 4G rounded to 1G, plus the 32G PCI hole; relocate at >= 0xfd00000000.
        assertThat(GuestLayout.q35(978 * GIB, 0, CpuVendor.AMD).above4gStart()).isEqualTo(4 * GIB);
        assertThat(GuestLayout.q35(979 * GIB, 0, CpuVendor.AMD).above4gStart()).isEqualTo(1L << 40);
        assertThat(GuestLayout.q35(1L << 40, 0, CpuVendor.INTEL).above4gStart()).isEqualTo(4 * GIB);
    }

    @Test
    void ramIsMappedThroughTheMmapSyscallWithItsBackingPageSize() {
        SimThread t = vmm();
        List<SyscallEvent> calls = new ArrayList<>();
        t.process().host().addObserver(new SimObserver() {
            @Override
            public void syscallEnter(SyscallEvent call) {
                calls.add(call);
            }
        });
        GuestSpec spec = new GuestSpec(ByteSize.parse("4GiB"), ByteSize.SZ_2M, null, null, null);
        GuestMemory m = GuestMemory.map(t, spec);
        assertThat(calls).singleElement().satisfies(c -> {
            assertThat(c.sys()).isEqualTo(Sys.MMAP);
            assertThat(c.cmd() & (Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_2MB))
                    .isEqualTo(Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_2MB);
            assertThat(c.count()).isEqualTo(4 * GIB);
        });
        UserMemory.Region r = t.process().memory().regionAt(m.ramBlock().hva());
        assertThat(r.pageSize()).isEqualTo(2L << 20);
        assertThat(r.writes()).isSameAs(m.writeLog());
        assertThat(m.slots()).extracting(MemSlot::slot).containsExactly(0, 1);
    }

    @Test
    void gpaTranslatesToHvaAroundThePciHole() {
        GuestMemory m = GuestMemory.map(vmm(), GuestSpec.of(ByteSize.parse("6GiB")));
        long hva = m.ramBlock().hva();
        assertThat(m.gpaToHva(0)).isEqualTo(hva);
        assertThat(m.gpaToHva(2 * GIB - 1)).isEqualTo(hva + 2 * GIB - 1);
        assertThat(m.gpaToHva(2 * GIB)).as("PCI hole").isEqualTo(-1);
        assertThat(m.gpaToHva(4 * GIB)).isEqualTo(hva + 2 * GIB);
        assertThat(m.gpaToHva(8 * GIB - 1)).isEqualTo(hva + 6 * GIB - 1);
        assertThat(m.gpaToHva(8 * GIB)).as("past RAM").isEqualTo(-1);
        long page = m.gpaToRamPage(4 * GIB + 8192);
        assertThat(page).isEqualTo((2 * GIB >> 12) + 2);
        assertThat(m.ramPageToGpa(page)).isEqualTo(4 * GIB + 8192);
    }

    @Test
    void gpaRangesBecomeRunsThatSkipHoles() {
        GuestMemory m = GuestMemory.map(vmm(), GuestSpec.of(ByteSize.parse("6GiB")));
        List<long[]> runs = new ArrayList<>();
        long hole = m.forEachGpaRun(2 * GIB - 8192, 2 * GIB + 16384, (slot, gpa, hva, bytes) ->
                runs.add(new long[] {slot.slot(), gpa, hva - m.ramBlock().hva(), bytes}));
        assertThat(runs).containsExactly(new long[] {0, 2 * GIB - 8192, 2 * GIB - 8192, 8192},
                new long[] {1, 4 * GIB, 2 * GIB, 8192});
        assertThat(hole).isEqualTo(2 * GIB);
        List<long[]> ram = new ArrayList<>();
        m.forEachRamRun((2 * GIB >> 12) - 1, 3, (slot, gpa, hva, bytes) -> ram.add(new long[] {gpa, bytes}));
        assertThat(ram).containsExactly(new long[] {2 * GIB - 4096, 4096}, new long[] {4 * GIB, 8192});
    }

    @Test
    void aTerabyteGuestCostsBitmapWordsNotObjects() {
        GuestMemory m = GuestMemory.map(vmm(), GuestSpec.of(ByteSize.parse("1TiB")));
        KvmDirtyLog kvm = new KvmDirtyLog(m);
        assertThat(m.ramPages()).isEqualTo(1L << 28);
        assertThat(m.writeLog().words()).hasSize(1 << 22); // 32 MiB for 2^28 pages
        assertThat(kvm.dirtyPages(0) + kvm.dirtyPages(1)).as("no log before logging starts").isZero();
        kvm.setLoggingAll(true);
        assertThat(kvm.logging(0) && kvm.logging(1)).isTrue();
        // the two slot logs together are one bit per page as well
        long[] low = new long[(int) ((m.slots().get(0).pages() + 63) >>> 6)];
        long[] high = new long[(int) ((m.slots().get(1).pages() + 63) >>> 6)];
        assertThat(kvm.getDirtyLog(0, low)).isZero();
        assertThat(kvm.getDirtyLog(1, high)).isZero();
        assertThat((long) low.length + high.length).isLessThanOrEqualTo((1L << 22) + 1);
    }
}
