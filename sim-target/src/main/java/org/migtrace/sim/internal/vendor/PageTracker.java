package org.migtrace.sim.internal.vendor;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.IovaBitmap;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.vendor.TrackerCaps;
import org.migtrace.uapi.Errno;

/**
 * The mlx5 device page tracker behind {@code VFIO_DEVICE_FEATURE_DMA_LOGGING_*}
 * ({@code drivers/vfio/pci/mlx5/cmd.c}): one firmware tracker object per device, a log of the
 * pages the device wrote inside the tracked ranges, read and cleared by reports.
 *
 * <p>{@link #logStart} ({@code mlx5vf_start_page_tracker}): a second start fails with EINVAL; the
 * requested page size is moved into the device's supported range and written back; more ranges
 * than the device takes are merged with {@link IovaRanges#combine} ({@code mlx5vf_create_tracker});
 * a total tracked length (rounded up to a power of two) outside the device's address-space range
 * fails with EOPNOTSUPP. {@link #logStop} always succeeds. {@link #logReadAndClear}
 * ({@code mlx5vf_tracker_read_and_clear}) fails with EINVAL when not started.
 *
 * <p>The log is one {@link Bitmap} per tracked range, a bit per tracked page (absolute
 * {@code iova >> log_page_size}), so a write anywhere in a page dirties the page, and writes in a
 * gap that merging swallowed are logged too. A report sets bits for the dirty pages clipped to the
 * window the IOVA bitmap iterator asks for, and clears a page once its end is inside the window (a
 * tracked page larger than the window is reported in pieces, once per window, and cleared with the
 * last piece; the firmware's behaviour there is undocumented, and this choice never loses a write).
 */
final class PageTracker implements LogOps {
    /** One tracked range: pages {@code [firstPage, firstPage + bits.size())}. */
    private record Tracked(long start, long last, long firstPage, Bitmap bits) {
    }

    private final TrackerCaps caps;
    private boolean active;
    private int shift;
    private List<Tracked> tracked = List.of();

    PageTracker(TrackerCaps caps) {
        this.caps = caps;
    }

    boolean active() {
        return active;
    }

    /** The tracked page size, while active. */
    long pageSize() {
        return 1L << shift;
    }

    /** The ranges the firmware tracks (after merging), while active. */
    List<IovaRange> trackedRanges() {
        List<IovaRange> out = new ArrayList<>();
        for (Tracked t : tracked) {
            out.add(new IovaRange(t.start, t.last - t.start + 1));
        }
        return out;
    }

    @Override
    public long logStart(KernelCtx ctx, List<IovaRange> ranges, long[] pageSize) {
        if (active) {
            return Errno.EINVAL.ret();
        }
        int log = IovaRanges.ilog2(pageSize[0]) & 0xFF; // u8 log_tracked_page
        if (log < caps.logMinPageSize()) {
            log = caps.logMinPageSize();
        } else if (log > caps.logMaxPageSize()) {
            log = caps.logMaxPageSize();
        }
        List<IovaRange> nodes = ranges.size() > caps.maxRanges() ? IovaRanges.combine(ranges, caps.maxRanges()) : ranges;
        long total = 0;
        for (IovaRange r : nodes) {
            total += r.last() - r.iova() + 1;
        }
        int addrSpace = IovaRanges.log2Ceil(total) & 0xFF; // u8 log_addr_space_size
        if (addrSpace < caps.logMinAddrSpace() || addrSpace > caps.logMaxAddrSpace()) {
            return Errno.EOPNOTSUPP.ret();
        }
        List<Tracked> t = new ArrayList<>(nodes.size());
        for (IovaRange r : nodes) {
            long first = r.iova() >>> log;
            long pages = (r.last() >>> log) - first + 1;
            if (Bitmap.wordsFor(pages) > Integer.MAX_VALUE - 8) {
                return Errno.ENOMEM.ret();
            }
            t.add(new Tracked(r.iova(), r.last(), first, new Bitmap(pages)));
        }
        tracked = t;
        shift = log;
        active = true;
        pageSize[0] = 1L << log;
        return 0;
    }

    @Override
    public long logStop(KernelCtx ctx) {
        active = false;
        tracked = List.of();
        return 0;
    }

    @Override
    public long logReadAndClear(KernelCtx ctx, long iova, long length, IovaBitmap bitmap) {
        if (!active) {
            return Errno.EINVAL.ret();
        }
        if (length == 0) {
            return 0;
        }
        long last = iova + length - 1;
        // absolute index one past the last page that ends inside the window
        long fullEnd = last == -1L ? 1L << (64 - shift) : (last + 1) >>> shift;
        for (Tracked t : tracked) {
            long lo = umax(iova, t.start);
            long hi = umin(last, t.last);
            if (Long.compareUnsigned(lo, hi) > 0) {
                continue;
            }
            long p0 = (lo >>> shift) - t.firstPage;
            long p1 = (hi >>> shift) - t.firstPage;
            t.bits.forEachRun(p0, p1 - p0 + 1, (first, count) -> {
                long runStart = (t.firstPage + first) << shift;
                long runLast = ((t.firstPage + first + count) << shift) - 1;
                long s = umax(runStart, iova);
                long e = umin(runLast, last);
                bitmap.set(s, e - s + 1);
            });
            long clearTo = Math.min(p1, fullEnd - 1 - t.firstPage);
            if (clearTo >= p0) {
                t.bits.clearRange(p0, clearTo - p0 + 1);
            }
        }
        return 0;
    }

    /** The device wrote {@code [iova, iova + length)}: log the tracked pages it touched. */
    void record(long iova, long length) {
        if (!active || length <= 0) {
            return;
        }
        long last = iova + length - 1;
        for (Tracked t : tracked) {
            long lo = umax(iova, t.start);
            long hi = umin(last, t.last);
            if (Long.compareUnsigned(lo, hi) <= 0) {
                long p0 = (lo >>> shift) - t.firstPage;
                long p1 = (hi >>> shift) - t.firstPage;
                t.bits.setRange(p0, p1 - p0 + 1);
            }
        }
    }

    private static long umax(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static long umin(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
