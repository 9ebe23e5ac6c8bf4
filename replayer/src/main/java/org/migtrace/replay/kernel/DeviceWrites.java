package org.migtrace.replay.kernel;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;

/** The hardware side of a replay: device writes (recorded or derived) and a pinning driver's working set. */
final class DeviceWrites {
    private DeviceWrites() {
    }

    /**
     * A {@code DMA_WRITE} row's pages go through {@link VfioDevice#dmaWrite} (the IOMMU domain and the
     * driver's tracking, gated by whether the device may DMA). A derived write — the pages of a
     * recorded bitmap, for a capture without the devices' writes — happened some time before the
     * bitmap call, maybe while the device could still DMA (a report in STOP_COPY holds the last writes
     * of PRE_COPY): it goes to the domain and the driver's tracking without the gate. A derived write
     * for a container's or HWPT's bitmap goes through the host's first device: the trace does not
     * say which device wrote, and any device behind that IOMMU sets the same bits (so does a device
     * the model knows under another name than the capture's).
     */
    static void write(SimHost host, SimProcess owner, Stimulus s) {
        RecordedEvent e = s.event();
        VfioDevice device = e.device() == null ? null : VfioCore.of(host).device(e.device());
        if (device == null) { // no name, or a cdev's the model knows under another (DeviceInference)
            device = VfioCore.of(host).devices().stream().findFirst().orElse(null);
        }
        if (device == null) {
            return;
        }
        List<IovaRange> ranges = ranges(s.dirtyRuns(), s.derived() ? "bitmap" : "dma_write");
        KernelCtx ctx = new KernelCtx(host, owner, owner.mainThread());
        if (!s.derived()) {
            long[] starts = new long[ranges.size()];
            long[] lengths = new long[ranges.size()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = ranges.get(i).iova();
                lengths[i] = ranges.get(i).length();
            }
            device.dmaWrite(ctx, starts, lengths);
            return;
        }
        for (IovaRange r : ranges) {
            if (device.domain() != null) {
                device.domain().dmaWrite(device, r.iova(), r.length());
            }
            device.driver().dmaWritten(ctx, r.iova(), r.length());
        }
    }

    /**
     * A page-pinning driver pins the pages its device will write ({@code vfio_pin_pages}) from inside
     * the kernel: no syscall shows it, and type1 reports every pinned page at every GET_BITMAP. The
     * first bitmap the recording returned on a host is that working set: pinned for {@code device}
     * just before that call. Returns whether there was a bitmap to pin.
     */
    static boolean pinWorkingSet(SimHost host, SimProcess owner, String device, List<RecordedDirtyRun> runs) {
        List<IovaRange> ranges = ranges(runs, "bitmap");
        if (ranges.isEmpty()) {
            return false;
        }
        VfioDevice d = VfioCore.of(host).device(device);
        if (d != null) {
            d.driver().setWorkingSet(new KernelCtx(host, owner, owner.mainThread()), ranges);
        }
        return true;
    }

    /** The byte ranges of the rows of {@code source}, in order. */
    private static List<IovaRange> ranges(List<RecordedDirtyRun> runs, String source) {
        List<IovaRange> out = new ArrayList<>();
        for (RecordedDirtyRun r : runs) {
            if (!source.equals(r.source())) {
                continue;
            }
            PageRuns pages = r.isWord() ? new PageRuns.Builder().addWord(r.firstPage(), r.bits()).build()
                    : new PageRuns.Builder().add(r.firstPage(), r.pageCount()).build();
            for (int i = 0; i < pages.runCount(); i++) {
                out.add(new IovaRange(pages.first(i) * r.pageSize(), pages.count(i) * r.pageSize()));
            }
        }
        return out;
    }
}
