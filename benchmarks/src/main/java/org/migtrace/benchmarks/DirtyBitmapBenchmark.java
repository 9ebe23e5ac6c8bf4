package org.migtrace.benchmarks;

import java.util.concurrent.TimeUnit;
import org.migtrace.cli.JvmFlags;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.type1.Type1;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.uapi.Structs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code VFIO_IOMMU_DIRTY_PAGES} GET_BITMAP over a 1 TiB guest ({@code guestBytes}) (2^28 pages of 4 KiB, one mapping)
 * through the whole ioctl path, with the 32 MiB user bitmap allocated once, next to a plain copy of
 * the same 2^22 words. Each GET reads the kernel bitmap out and clears it.
 *
 * <ul>
 *   <li>{@code nonPinnedScope}: a passthrough NIC that never pins, so every page is reported every
 *       time (the usual type1 case);</li>
 *   <li>{@code pinnedScopeSparse}: the NIC's group promoted by one pin: the buffer is zero-filled
 *       and one word carries a bit;</li>
 *   <li>{@code pinnedScopeDense}: every page written through {@code vfio_dma_rw} before each GET
 *       (included in the time), so the full word copy and clear run;</li>
 *   <li>{@code pinnedScopeDenseGetOnly}: the same, with the {@code vfio_dma_rw} done outside the
 *       timed part;</li>
 *   <li>{@code arraycopyBaseline}: {@code System.arraycopy} of 2^22 longs.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", JvmFlags.COLLECTOR})
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class DirtyBitmapBenchmark {
    static final long PAGE = 4096;
    static final long IOVA = 1L << 40;

    /**
     * A vfio-pci function with nothing but DMA; with {@code pinning} its driver also has a
     * {@code dma_unmap}, which is what lets it pin pages through the container.
     */
    record Nic(boolean pinning) implements VendorOps {
        @Override
        public String model() {
            return pinning ? "bench-pinning" : "bench-nic";
        }

        @Override
        public boolean dmaAllowed() {
            return true;
        }

        @Override
        public boolean hasDmaUnmap() {
            return pinning;
        }
    }

    /** A host with one container, a 1 TiB mapping, tracking on, and the user bitmap allocated. */
    @State(Scope.Benchmark)
    public static class Guest {
        /** The guest's size: 1 TiB is the target's; the CI smoke run takes less. */
        @Param({"1099511627776"})
        public long guestBytes;

        ContainerCalls calls;
        int container;
        long buffer;
        VfioDevice device;

        void build(boolean pinning) {
            SimHost host = new SimHost("bench", new SimClock());
            VfioCore core = VfioCore.of(host);
            device = core.register("0000:3b:00.0", 12, new PciCore(new Nic(pinning), 1 << 20));
            Type1.install(host);
            SimProcess vmm = host.spawn("qemu", 100);
            calls = new ContainerCalls(vmm.mainThread());
            container = (int) calls.openContainer();
            int group = (int) calls.openGroup(12);
            calls.setContainer(group, container);
            calls.setIommu(container, Structs.VFIO_TYPE1v2_IOMMU);
            calls.getDeviceFd(group, "0000:3b:00.0");
            long ram = vmm.memory().mapAnonymous(guestBytes, PAGE);
            check(calls.mapDma(container, ram, IOVA, guestBytes));
            check(calls.dirtyStart(container));
            buffer = vmm.memory().malloc(bitmapBytes());
        }

        long bitmapBytes() {
            return guestBytes / PAGE / 8;
        }

        long get() {
            return calls.dirtyGet(container, IOVA, guestBytes, PAGE, buffer, bitmapBytes());
        }

        void dirtyEverything() {
            check(device.access().dmaRw(device, IOVA, guestBytes, true));
        }
    }

    @State(Scope.Benchmark)
    public static class NonPinned extends Guest {
        @Setup(Level.Trial)
        public void setup() {
            build(false);
        }
    }

    @State(Scope.Benchmark)
    public static class Pinned extends Guest {
        @Setup(Level.Trial)
        public void setup() {
            build(true);
            check(device.access().pinPages(device, IOVA + 12345 * PAGE, 1, Structs.VFIO_DMA_MAP_FLAG_WRITE));
        }
    }

    @State(Scope.Benchmark)
    public static class DenselyDirty extends Guest {
        @Setup(Level.Trial)
        public void setup() {
            build(true);
            check(device.access().pinPages(device, IOVA + 12345 * PAGE, 1, Structs.VFIO_DMA_MAP_FLAG_WRITE));
        }

        /** Every page written again before each GET (ms-scale operations: the per-invocation hook is noise). */
        @Setup(Level.Invocation)
        public void dirtyBeforeEachGet() {
            dirtyEverything();
        }
    }

    @State(Scope.Benchmark)
    public static class Copy {
        /** The same parameter as {@link Guest#guestBytes}: the copy is as long as that guest's bitmap. */
        @Param({"1099511627776"})
        public long guestBytes;

        long[] src;
        long[] dst;

        @Setup(Level.Trial)
        public void setup() {
            src = new long[Math.toIntExact(guestBytes / PAGE / 64)];
            dst = new long[src.length];
            java.util.Arrays.fill(src, 0x5555_5555_5555_5555L);
        }
    }

    @Benchmark
    public long nonPinnedScope(NonPinned g) {
        return g.get();
    }

    @Benchmark
    public long pinnedScopeSparse(Pinned g) {
        return g.get();
    }

    @Benchmark
    public long pinnedScopeDense(Pinned g) {
        g.dirtyEverything();
        return g.get();
    }

    @Benchmark
    public long pinnedScopeDenseGetOnly(DenselyDirty g) {
        return g.get();
    }

    @Benchmark
    public long[] arraycopyBaseline(Copy c) {
        System.arraycopy(c.src, 0, c.dst, 0, c.src.length);
        return c.dst;
    }

    static void check(long ret) {
        if (ret < 0) {
            throw new IllegalStateException("setup failed: " + ret);
        }
    }
}
