package org.migtrace.sim.guest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.RangeSpec;
import org.migtrace.sim.scenario.WorkloadSpec;

/**
 * One device's DMA writes into guest memory by a pattern at a rate: batches of IOVA runs handed to
 * {@link VfioDevice#dmaWrite}, which goes through the IOMMU (or the pinning API) and the driver's
 * own tracking, and writes nothing while the device may not DMA. With no vIOMMU, IOVA = GPA; the
 * default range is all guest RAM (skipping the PCI hole).
 */
public final class DmaWorkload extends ScheduledWorkload {
    private final VfioDevice device;
    private final KernelCtx ctx;
    private final String name;
    private final PageSpace space;
    private long[] starts = new long[64];
    private long[] lengths = new long[64];
    private int runs;
    private long faulted;

    /**
     * A DMA workload for {@code device} into {@code memory}'s guest, seeded from scenario seed
     * {@code seed} and the device's name. Hardware-side calls run with a kernel context of the VMM
     * process that maps the memory.
     */
    public DmaWorkload(VfioDevice device, GuestMemory memory, WorkloadSpec spec, long seed) {
        this(device, memory, spec, seed, space(memory, spec.range()));
    }

    private DmaWorkload(VfioDevice device, GuestMemory memory, WorkloadSpec spec, long seed, PageSpace space) {
        super(spec, space.pages(), Seeds.random(seed, "dma:" + device.name()));
        this.device = device;
        this.ctx = new KernelCtx(memory.vmm().process().host(), memory.vmm().process(), memory.vmm());
        this.name = "dma:" + device.name();
        this.space = space;
    }

    private static PageSpace space(GuestMemory memory, RangeSpec r) {
        return r == null ? PageSpace.ofRam(memory)
                : PageSpace.linear(r.start().bytes(), r.size().bytes() >>> GuestMemory.PAGE_SHIFT);
    }

    @Override
    public String name() {
        return name;
    }

    public VfioDevice device() {
        return device;
    }

    /**
     * The IOVA ranges this workload can ever write, in order: the hot set of a hot-set pattern,
     * the whole range otherwise. What a pinning driver must hold pinned for every write to land.
     */
    public List<IovaRange> footprint() {
        long first = 0;
        long count = space.pages();
        if (pattern() instanceof HotSetPattern hot) {
            first = hot.hotFirst();
            count = hot.hotPages();
        }
        List<IovaRange> out = new ArrayList<>();
        space.map(first, count, (iova, bytes) -> out.add(new IovaRange(iova, bytes)));
        return out;
    }

    /** Bytes the IOMMU faulted so far (IOVA not mapped, or read-only). */
    public long bytesFaulted() {
        return faulted;
    }

    @Override
    void emit(long[] firstPages, long[] pageCounts, int n) {
        runs = 0;
        for (int i = 0; i < n; i++) {
            space.map(firstPages[i], pageCounts[i], this::add);
        }
        faulted += device.dmaWrite(ctx, Arrays.copyOf(starts, runs), Arrays.copyOf(lengths, runs));
    }

    private void add(long iova, long bytes) {
        if (runs == starts.length) {
            starts = Arrays.copyOf(starts, runs * 2);
            lengths = Arrays.copyOf(lengths, runs * 2);
        }
        starts[runs] = iova;
        lengths[runs++] = bytes;
    }
}
