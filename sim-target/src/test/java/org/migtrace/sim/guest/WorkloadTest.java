package org.migtrace.sim.guest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vfio.IommuDomain;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.AccessPattern;
import org.migtrace.sim.scenario.ByteSize;
import org.migtrace.sim.scenario.PageRate;
import org.migtrace.sim.scenario.RangeSpec;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.sim.scenario.WorkloadSpec;

class WorkloadTest {
    static final long GIB = 1L << 30;

    /** Every memory write a host reports, as (actor, starts, lengths). */
    static final class Recorder implements SimObserver {
        final List<MemoryWriteEvent> events = new ArrayList<>();

        @Override
        public void memoryWrite(MemoryWriteEvent event) {
            events.add(event);
        }

        String fingerprint() {
            StringBuilder b = new StringBuilder();
            for (MemoryWriteEvent e : events) {
                b.append(e.actor()).append(java.util.Arrays.toString(e.starts()))
                        .append(java.util.Arrays.toString(e.lengths())).append('\n');
            }
            return b.toString();
        }
    }

    private static Guest guest(String memory, WorkloadSpec cpu, long seed, Recorder rec) {
        SimThread vmm = new SimHost("src", new SimClock()).spawn("qemu", 100).mainThread();
        if (rec != null) {
            vmm.process().host().addObserver(rec);
        }
        return Guest.of(GuestMemory.map(vmm, GuestLayout.q35(ByteSize.parse(memory).bytes(), 0,
                org.migtrace.sim.scenario.CpuVendor.INTEL), 4096), cpu, seed);
    }

    private static WorkloadSpec uniform(long pagesPerSecond) {
        return WorkloadSpec.of(AccessPattern.UNIFORM, PageRate.ofPagesPerSecond(pagesPerSecond));
    }

    @Test
    void aWorkloadWritesRateTimesWindowPages() {
        Guest g = guest("4GiB", uniform(100_000), 1, null);
        long n = 0;
        for (int i = 0; i < 100; i++) {
            n += g.advance(i * 10_000_000L, (i + 1) * 10_000_000L);
        }
        assertThat(n).isEqualTo(100_000);
        assertThat(g.cpuWorkload().pagesWritten()).isEqualTo(100_000);
        assertThat(g.cpus().pagesWritten()).as("minus pages drawn twice in one batch")
                .isBetween(99_000L, 100_000L);
        // 1e5 draws over 2^20 pages leave 2^20 * (1 - e^(-1e5 / 2^20)) = 95 408 distinct pages
        assertThat(g.memory().writeLog().cardinality()).isBetween(94_500L, 96_500L);
    }

    @Test
    void theSameSeedWritesTheSamePagesAndAnotherSeedDoesNot() {
        String[] prints = new String[3];
        long[] seeds = {7, 7, 8};
        for (int i = 0; i < 3; i++) {
            Recorder rec = new Recorder();
            Guest g = guest("6GiB", WorkloadSpec.of(AccessPattern.ZIPF, PageRate.ofPagesPerSecond(50_000)), seeds[i],
                    rec);
            for (int w = 0; w < 20; w++) {
                g.advance(w * 7_000_000L, (w + 1) * 7_000_000L);
            }
            prints[i] = rec.fingerprint();
            assertThat(rec.events).isNotEmpty().allSatisfy(e -> assertThat(e.actor()).isEqualTo("cpu"));
        }
        assertThat(prints[1]).isEqualTo(prints[0]);
        assertThat(prints[2]).isNotEqualTo(prints[0]);
    }

    @Test
    void eachWorkloadHasItsOwnStreamSoAddingADeviceLeavesTheCpuWritesAlone() {
        Recorder alone = new Recorder();
        Guest a = guest("4GiB", uniform(20_000), 3, alone);
        a.advance(0, 100_000_000);
        Recorder withDevice = new Recorder();
        Guest b = guest("4GiB", uniform(20_000), 3, withDevice);
        FakeDevice dev = FakeDevice.register(b.memory(), "0000:3b:00.1");
        b.attachDma(dev.device, uniform(5_000));
        b.advance(0, 100_000_000);
        List<MemoryWriteEvent> cpuOnly = withDevice.events.stream().filter(e -> e.actor().equals("cpu")).toList();
        assertThat(cpuOnly).hasSameSizeAs(alone.events);
        for (int i = 0; i < cpuOnly.size(); i++) {
            assertThat(cpuOnly.get(i).starts()).isEqualTo(alone.events.get(i).starts());
        }
    }

    @Test
    void cpuWritesComeInBoundedBatches() {
        Recorder rec = new Recorder();
        Guest g = guest("64GiB", uniform(1_000_000), 1, rec);
        g.advance(0, 100_000_000); // 100 000 scattered pages
        assertThat(rec.events).hasSizeGreaterThan(20)
                .allSatisfy(e -> assertThat(e.starts().length).isLessThanOrEqualTo(2 * RunBatch.CAPACITY));
    }

    @Test
    void dmaGoesThroughTheDeviceIntoGuestRamAndSkipsThePciHole() {
        Recorder rec = new Recorder();
        Guest g = guest("6GiB", uniform(0), 1, rec);
        FakeDevice dev = FakeDevice.register(g.memory(), "0000:3b:00.1");
        DmaWorkload dma = g.attachDma(dev.device, WorkloadSpec.of(AccessPattern.SWEEP, PageRate.ofPagesPerSecond(1000)));
        dma.advance(0, 1_000_000_000L);
        assertThat(dev.written).isEqualTo(1000L * 4096);
        assertThat(g.memory().writeLog().cardinality()).isEqualTo(1000);
        assertThat(rec.events).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("dma");
            assertThat(e.device()).isEqualTo("0000:3b:00.1");
            assertThat(e.starts()).containsExactly(0);
            assertThat(e.lengths()).containsExactly(1000 * 4096);
        });
        // a sweep over all RAM continues from the low slot into RAM above 4 GiB
        DmaWorkload big = g.attachDma(dev.device, WorkloadSpec.of(AccessPattern.SWEEP,
                PageRate.ofPagesPerSecond((2 * GIB >> 12) + 2)));
        rec.events.clear();
        big.advance(0, 1_000_000_000L);
        assertThat(rec.events.get(0).starts()).containsExactly(0, 4 * GIB);
        assertThat(dma.bytesFaulted()).isZero();
    }

    @Test
    void dmaIntoAnIovaRangeOutsideRamFaults() {
        Guest g = guest("6GiB", uniform(0), 1, null);
        FakeDevice dev = FakeDevice.register(g.memory(), "0000:3b:00.1");
        WorkloadSpec spec = new WorkloadSpec(AccessPattern.UNIFORM, PageRate.ofPagesPerSecond(100), null, null, null,
                null, new RangeSpec(ByteSize.parse("3GiB"), ByteSize.parse("256MiB")));
        DmaWorkload dma = g.attachDma(dev.device, spec);
        dma.advance(0, 1_000_000_000L);
        assertThat(dma.bytesFaulted()).isEqualTo(dma.pagesWritten() * 4096 - (dev.written)).isPositive();
        assertThat(g.memory().writeLog().isEmpty()).isTrue();
    }

    @Test
    void aStoppedDeviceWritesNothing() {
        Guest g = guest("4GiB", uniform(0), 1, null);
        FakeDevice dev = FakeDevice.register(g.memory(), "0000:3b:00.1");
        dev.allowed = false;
        DmaWorkload dma = g.attachDma(dev.device, WorkloadSpec.of(AccessPattern.SWEEP, PageRate.ofPagesPerSecond(1000)));
        assertThat(dma.advance(0, 1_000_000_000L)).isEqualTo(1000);
        assertThat(g.memory().writeLog().isEmpty()).isTrue();
        assertThat(dev.device.dmaSuppressed()).isEqualTo(1000L * 4096);
    }

    @Test
    void aTerabyteGuestTakesAMillionWritesInBoundedMemory() throws Exception {
        Scenario s = ScenarioLoader.builtIn("tiny-1tib");
        SimThread vmm = new SimHost("src", new SimClock()).spawn("qemu", 100).mainThread();
        Guest g = Guest.boot(vmm, s);
        g.kvm().setLoggingAll(true);
        for (int w = 0; w < 20; w++) {
            g.advance(w * 1_000_000_000L, (w + 1) * 1_000_000_000L);
        }
        assertThat(g.cpuWorkload().pagesWritten()).isEqualTo(1_000_000); // 50 000 pages/s for 20 s
        // 1e6 draws over 2^28 pages: about 1e12 / 2^29 = 1863 collide
        assertThat(g.memory().writeLog().cardinality()).isBetween(996_000L, 1_000_000L);
        org.migtrace.sim.mem.Bitmap migration = new org.migtrace.sim.mem.Bitmap(g.memory().ramPages());
        assertThat(g.kvm().syncTo(migration)).isEqualTo(g.memory().writeLog().cardinality());
        // the state is three bitmaps of one bit per page: write log, the KVM logs, the migration bitmap
        long words = g.memory().writeLog().words().length + migration.words().length;
        assertThat(words).isEqualTo(2L << 22);
    }

    @ParameterizedTest
    @FieldSource("org.migtrace.sim.scenario.ScenarioLoader#BUILT_IN")
    void everyBuiltInBootsAndRuns(String name) throws Exception {
        Scenario s = ScenarioLoader.builtIn(name);
        Recorder rec = new Recorder();
        SimThread vmm = new SimHost("src", new SimClock()).spawn("qemu", 100).mainThread();
        vmm.process().host().addObserver(rec);
        Guest g = Guest.boot(vmm, s);
        assertThat(g.memory().ramBlock().pageSize()).isEqualTo(s.guest().backing().bytes());
        for (var d : s.devices()) {
            g.attachDma(FakeDevice.register(g.memory(), d.name()).device, d.dma());
        }
        long written = g.advance(0, 10_000_000);
        assertThat(written).isPositive();
        assertThat(rec.events).isNotEmpty();
        assertThat(g.workloads()).hasSize(1 + s.devices().size());
    }

    /**
     * A vfio-pci function whose vendor part only says whether DMA is allowed, behind an IOMMU
     * domain that maps IOVA = GPA onto guest RAM.
     */
    static final class FakeDevice implements VendorOps, IommuDomain {
        final GuestMemory memory;
        VfioDevice device;
        boolean allowed = true;
        long written;

        private FakeDevice(GuestMemory memory) {
            this.memory = memory;
        }

        static FakeDevice register(GuestMemory memory, String name) {
            FakeDevice f = new FakeDevice(memory);
            f.device = VfioCore.of(memory.vmm().process().host()).register(name, 7, new PciCore(f, 1 << 20));
            f.device.setDomain(f);
            return f;
        }

        @Override
        public long dmaWrite(VfioDevice d, long iova, long length) {
            return memory.forEachGpaRun(iova, length, (slot, gpa, hva, bytes) -> {
                memory.vmm().process().memory().noteWrite(hva, bytes);
                written += bytes;
            });
        }

        @Override
        public String describe() {
            return "identity";
        }

        @Override
        public String model() {
            return "fake";
        }

        @Override
        public boolean dmaAllowed() {
            return allowed;
        }
    }
}
