package org.migtrace.sim.internal.vendor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.internal.vfio.DmaAccess;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * The guest pages an emulated-IOMMU device holds pinned through {@code vfio_pin_pages}, as runs of
 * 4 KiB IOVA pages (never an object per page). Changing the working set unpins what left it and
 * pins what joined, in calls of at most {@value #MAX_PIN} pages ({@code VFIO_PIN_PAGES_MAX_ENTRIES}).
 */
public final class PinnedPages {
    /** {@code VFIO_PIN_PAGES_MAX_ENTRIES}: {@code PAGE_SIZE / sizeof(unsigned long)}. */
    static final int MAX_PIN = UserMemory.PAGE_SIZE / 8;
    private static final int SHIFT = UserMemory.PAGE_SHIFT;
    /** {@code IOMMU_READ | IOMMU_WRITE}. */
    private static final int PROT_RW = 3;

    /** first page → one past the last page. */
    private final TreeMap<Long, Long> runs = new TreeMap<>();

    /** Pinned page count. */
    public long pages() {
        long n = 0;
        for (Map.Entry<Long, Long> e : runs.entrySet()) {
            n += e.getValue() - e.getKey();
        }
        return n;
    }

    /** The pinned runs as IOVA ranges, in order. */
    public List<IovaRange> ranges() {
        List<IovaRange> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : runs.entrySet()) {
            out.add(new IovaRange(e.getKey() << SHIFT, (e.getValue() - e.getKey()) << SHIFT));
        }
        return out;
    }

    /** Whether every page of {@code [iova, iova + length)} is pinned. */
    boolean covers(long iova, long length) {
        long first = iova >>> SHIFT;
        long end = ((iova + length - 1) >>> SHIFT) + 1;
        Map.Entry<Long, Long> e = runs.floorEntry(first);
        return e != null && e.getValue() >= end;
    }

    /**
     * Makes the pinned set exactly the pages that {@code ranges} touch: unpins the rest, pins the
     * new ones. 0, EINVAL when there is no pinning API ({@code access} is null: no container or
     * IOMMUFD access yet), or the first pin error (the pages pinned until then stay pinned and
     * recorded).
     */
    public long set(DmaAccess access, VfioDevice device, List<IovaRange> ranges) {
        if (access == null) {
            return Errno.EINVAL.ret();
        }
        TreeMap<Long, Long> want = new TreeMap<>();
        for (IovaRange r : ranges) {
            if (r.length() > 0) {
                add(want, r.iova() >>> SHIFT, ((r.iova() + r.length() - 1) >>> SHIFT) + 1);
            }
        }
        for (long[] gone : minus(runs, want)) {
            for (long p = gone[0]; p < gone[1]; p += MAX_PIN) {
                int n = (int) Math.min(MAX_PIN, gone[1] - p);
                access.unpinPages(device, p << SHIFT, n);
            }
            remove(runs, gone[0], gone[1]);
        }
        for (long[] added : minus(want, runs)) {
            for (long p = added[0]; p < added[1]; p += MAX_PIN) {
                int n = (int) Math.min(MAX_PIN, added[1] - p);
                long ret = access.pinPages(device, p << SHIFT, n, PROT_RW);
                if (ret < 0) {
                    return ret;
                }
                add(runs, p, p + n);
            }
        }
        return 0;
    }

    /**
     * The user unmapped {@code [iova, iova + length)} ({@code dma_unmap}): every page pinned there is
     * unpinned, the rest stays pinned.
     */
    public void unmapped(DmaAccess access, VfioDevice device, long iova, long length) {
        if (length <= 0 || access == null) {
            return;
        }
        long first = iova >>> SHIFT;
        long end = ((iova + length - 1) >>> SHIFT) + 1;
        TreeMap<Long, Long> gone = new TreeMap<>();
        add(gone, first, end);
        List<IovaRange> keep = new ArrayList<>();
        for (long[] r : minus(runs, gone)) {
            keep.add(new IovaRange(r[0] << SHIFT, (r[1] - r[0]) << SHIFT));
        }
        set(access, device, keep);
    }

    /** Unpins everything (without a pinning API left, just forgets the pins). */
    public void clear(DmaAccess access, VfioDevice device) {
        if (access != null) {
            set(access, device, List.of());
        }
        runs.clear();
    }

    /** Adds page run {@code [first, end)}, merging with neighbours. */
    private static void add(TreeMap<Long, Long> set, long first, long end) {
        Map.Entry<Long, Long> before = set.floorEntry(first);
        if (before != null && before.getValue() >= first) {
            first = before.getKey();
            end = Math.max(end, before.getValue());
            set.remove(before.getKey());
        }
        Map.Entry<Long, Long> next = set.ceilingEntry(first);
        while (next != null && next.getKey() <= end) {
            end = Math.max(end, next.getValue());
            set.remove(next.getKey());
            next = set.ceilingEntry(first);
        }
        set.put(first, end);
    }

    private static void remove(TreeMap<Long, Long> set, long first, long end) {
        Map.Entry<Long, Long> e = set.floorEntry(first);
        if (e == null || e.getValue() < end) {
            throw new IllegalStateException("removing unpinned pages " + first + ".." + end);
        }
        set.remove(e.getKey());
        if (e.getKey() < first) {
            set.put(e.getKey(), first);
        }
        if (end < e.getValue()) {
            set.put(end, e.getValue());
        }
    }

    /** Page runs in {@code a} and not in {@code b}. */
    private static List<long[]> minus(TreeMap<Long, Long> a, TreeMap<Long, Long> b) {
        List<long[]> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : a.entrySet()) {
            long cur = e.getKey();
            long end = e.getValue();
            Map.Entry<Long, Long> o = b.floorEntry(cur);
            if (o != null && o.getValue() > cur) {
                cur = o.getValue();
            }
            if (cur >= end) {
                continue;
            }
            for (Map.Entry<Long, Long> x : b.subMap(cur, true, end, false).entrySet()) {
                if (x.getKey() > cur) {
                    out.add(new long[] {cur, x.getKey()});
                }
                cur = Math.max(cur, x.getValue());
            }
            if (cur < end) {
                out.add(new long[] {cur, end});
            }
        }
        return out;
    }
}
