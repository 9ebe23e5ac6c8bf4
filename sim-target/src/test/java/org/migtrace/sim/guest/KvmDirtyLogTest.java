package org.migtrace.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.scenario.ByteSize;
import org.migtrace.sim.scenario.CpuVendor;
import org.migtrace.uapi.Errno;

class KvmDirtyLogTest {
    static final long GIB = 1L << 30;
    static final long LOW_PAGES = (2 * GIB) >> 12;

    private final SimThread vmm = GuestMemoryTest.vmm();
    private final GuestMemory mem = GuestMemory.map(vmm, GuestLayout.q35(4 * GIB, 0, CpuVendor.INTEL), 4096);
    private final KvmDirtyLog kvm = new KvmDirtyLog(mem);
    private final GuestCpus cpus = new GuestCpus(mem, kvm);

    private void write(long page, long count) {
        cpus.write(new long[] {page}, new long[] {count}, 1);
    }

    @Test
    void cpuWritesAlwaysReachTheWriteLogButKvmOnlyWhileLogging() {
        write(10, 3);
        assertThat(mem.writeLog().cardinality()).isEqualTo(3);
        assertThat(kvm.dirtyPages(0)).isZero();
        kvm.setLoggingAll(true);
        write(LOW_PAGES - 1, 2); // crosses from the low slot into the high one
        assertThat(mem.writeLog().cardinality()).isEqualTo(5);
        assertThat(kvm.dirtyPages(0)).isEqualTo(1);
        assertThat(kvm.dirtyPages(1)).isEqualTo(1);
        assertThat(cpus.pagesWritten()).isEqualTo(5);
    }

    @Test
    void getDirtyLogReturnsTheSnapshotAndClearsIt() {
        kvm.setLogging(1, true);
        write(LOW_PAGES + 64, 1);
        write(LOW_PAGES + 130, 2);
        long[] buf = new long[(int) ((mem.slots().get(1).pages() + 63) >>> 6)];
        assertThat(kvm.getDirtyLog(1, buf)).isZero();
        assertThat(buf[1]).isEqualTo(1L);
        assertThat(buf[2]).isEqualTo(0b1100L);
        assertThat(kvm.getDirtyLog(1, buf)).isZero();
        assertThat(buf[1] | buf[2]).as("cleared by the first call").isZero();
        write(LOW_PAGES, 1);
        kvm.getDirtyLog(1, buf);
        assertThat(buf[0]).as("writes after a get show up in the next one").isEqualTo(1L);
    }

    @Test
    void getDirtyLogFollowsKvmsErrorOrder() {
        long[] buf = new long[1 << 16];
        assertThat(kvm.getDirtyLog(0, buf)).as("not logging").isEqualTo(Errno.ENOENT.ret());
        kvm.setLogging(0, true);
        assertThat(kvm.getDirtyLog(0, buf)).isZero();
        assertThat(kvm.getDirtyLog(5, buf)).as("no such slot").isEqualTo(Errno.ENOENT.ret());
        assertThat(kvm.getDirtyLog(1 << 16, buf)).as("SMM address space, no slot").isEqualTo(Errno.ENOENT.ret());
        assertThat(kvm.getDirtyLog(2 << 16, buf)).as("address space 2").isEqualTo(Errno.EINVAL.ret());
        assertThat(kvm.getDirtyLog(KvmDirtyLog.KVM_USER_MEM_SLOTS, buf)).isEqualTo(Errno.EINVAL.ret());
        assertThat(kvm.setLogging(7, true)).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void disablingLoggingDropsTheBitmapAndReenablingStartsClean() {
        kvm.setLogging(0, true);
        write(1, 1);
        kvm.setLogging(0, true);
        assertThat(kvm.dirtyPages(0)).as("enabling again keeps the bitmap").isEqualTo(1);
        kvm.setLogging(0, false);
        assertThat(kvm.logging(0)).isFalse();
        kvm.setLogging(0, true);
        assertThat(kvm.dirtyPages(0)).isZero();
    }

    @Test
    void syncOrsIntoTheMigrationBitmapAndCountsOnlyNewBits() {
        kvm.setLoggingAll(true);
        write(5, 2);              // low slot pages 5, 6
        write(LOW_PAGES + 3, 1);  // high slot page 3 = RAM page LOW_PAGES + 3
        Bitmap migration = new Bitmap(mem.ramPages());
        migration.set(6);          // already pending
        assertThat(kvm.syncTo(migration)).isEqualTo(2);
        assertThat(migration.get(5) && migration.get(6) && migration.get(LOW_PAGES + 3)).isTrue();
        assertThat(migration.cardinality()).isEqualTo(3);
        assertThat(kvm.syncTo(migration)).as("the logs were cleared").isZero();
    }

    @Test
    void syncHandlesSlotsThatStartInsideAWord() {
        // max-ram-below-4g of 1 GiB + 12 KiB puts the high slot at RAM page 0x40003.
        GuestMemory odd = GuestMemory.map(GuestMemoryTest.vmm(),
                GuestLayout.q35(2 * GIB, GIB + 0x3000, CpuVendor.INTEL), 4096);
        KvmDirtyLog k = new KvmDirtyLog(odd);
        GuestCpus c = new GuestCpus(odd, k);
        k.setLoggingAll(true);
        SplittableRandom rng = new SplittableRandom(1);
        Bitmap expected = new Bitmap(odd.ramPages());
        Bitmap migration = new Bitmap(odd.ramPages());
        for (int i = 0; i < 2000; i++) {
            long p = rng.nextLong(odd.ramPages());
            c.write(new long[] {p}, new long[] {1}, 1);
            expected.set(p);
            if (i % 3 == 0) {
                migration.set(rng.nextLong(odd.ramPages()));
            }
        }
        Bitmap before = new Bitmap(odd.ramPages());
        before.or(migration);
        long added = k.syncTo(migration);
        expected.or(before);
        assertThat(migration.words()).isEqualTo(expected.words());
        assertThat(added).isEqualTo(expected.cardinality() - before.cardinality());
    }

    @Test
    void observersSeeOneCpuEventPerBatchWithGuestPhysicalRuns() {
        List<MemoryWriteEvent> events = new ArrayList<>();
        vmm.process().host().addObserver(new SimObserver() {
            @Override
            public void memoryWrite(MemoryWriteEvent event) {
                events.add(event);
            }
        });
        cpus.write(new long[] {0, LOW_PAGES - 1}, new long[] {1, 2}, 2);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("cpu");
            assertThat(e.device()).isNull();
            assertThat(e.starts()).containsExactly(0, 2 * GIB - 4096, 4 * GIB);
            assertThat(e.lengths()).containsExactly(4096, 4096, 4096);
        });
    }

    @Test
    void aTerabyteOfBitmapHarvestsWithoutObjects() {
        GuestMemory big = GuestMemory.map(GuestMemoryTest.vmm(),
                GuestLayout.q35(ByteSize.parse("1TiB").bytes(), 0, CpuVendor.INTEL), 4096);
        KvmDirtyLog k = new KvmDirtyLog(big);
        k.setLoggingAll(true);
        new GuestCpus(big, k).write(new long[] {0, (1L << 28) - 1}, new long[] {1, 1}, 2);
        Bitmap migration = new Bitmap(big.ramPages());
        assertThat(k.syncTo(migration)).isEqualTo(2);
        assertThat(migration.get((1L << 28) - 1)).isTrue();
    }
}
