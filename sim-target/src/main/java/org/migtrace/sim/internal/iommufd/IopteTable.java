package org.migtrace.sim.internal.iommufd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.migtrace.sim.mem.Bitmap;

/**
 * The IOPTEs one IOMMU domain holds for one area, with their hardware dirty bits.
 *
 * <p>Page sizes follow {@code iommu_map} ({@code drivers/iommu/iommu.c: iommu_pgsize}): at each
 * IOVA the largest size the IOMMU supports that divides both the IOVA and the physical address
 * and fits in what is left. The physical address is contiguous only inside one backing page (a
 * 4 KiB page, or a hugetlbfs 2 MiB / 1 GiB page, whose physical offset equals the user address's
 * offset in it), so a size never exceeds the backing page size and the user address must be
 * aligned to it too. That gives a few runs of equal-size IOPTEs: small pages up to the first huge
 * boundary, huge pages, small pages at the tail. With {@code disable_large_pages} (IOMMU_OPTION
 * HUGE_PAGES=0, or the VFIO type1v1 compat mode) every IOPTE is {@code PAGE_SIZE}
 * ({@code pages.c: batch_iommu_map_small}).
 *
 * <p>Dirty bits are kept per IOPTE, one {@link Bitmap} per run, allocated on the first dirtying
 * write (a 1 TiB area of 4 KiB IOPTEs costs 32 MiB only once something was written).
 */
final class IopteTable {
    /** A run of {@code count} IOPTEs of {@code pgsize} bytes starting at {@code iova}. */
    static final class Run {
        final long iova;
        final long pgsize;
        final long count;
        private Bitmap dirty;

        Run(long iova, long pgsize, long count) {
            this.iova = iova;
            this.pgsize = pgsize;
            this.count = count;
        }

        long bytes() {
            return pgsize * count;
        }

        long last() {
            return iova + bytes() - 1;
        }
    }

    /** Receives dirty IOPTEs: {@code count} consecutive ones of {@code pgsize} from {@code iova}. */
    @FunctionalInterface
    interface Recorder {
        void record(long iova, long pgsize, long count);
    }

    private final List<Run> runs = new ArrayList<>();

    /**
     * The IOPTEs for {@code length} bytes at {@code iova} backed by user memory at {@code userVa}
     * whose backing pages are {@code backingPageSize} bytes.
     */
    IopteTable(long iova, long userVa, long length, long backingPageSize, long pgsizeBitmap) {
        long x = iova;
        long v = userVa;
        long remaining = length;
        while (remaining != 0) {
            long pg = pick(x, v, remaining, backingPageSize, pgsizeBitmap);
            long runBytes = remaining - Long.remainderUnsigned(remaining, pg);
            // stop where a larger page becomes possible (both addresses aligned to it)
            for (long big = Long.highestOneBit(pgsizeBitmap); big > pg; big >>>= 1) {
                if ((pgsizeBitmap & big) == 0 || big > backingPageSize || Long.compareUnsigned(big, remaining) > 0
                        || ((x - v) & (big - 1)) != 0) {
                    continue;
                }
                long toBoundary = ((x + big - 1) & -big) - x;
                if (toBoundary != 0 && Long.compareUnsigned(toBoundary, runBytes) < 0) {
                    runBytes = toBoundary;
                }
            }
            add(x, pg, Long.divideUnsigned(runBytes, pg));
            x += runBytes;
            v += runBytes;
            remaining -= runBytes;
        }
    }

    /** The largest supported size that divides both addresses and fits (the IOMMU's 4 KiB always does). */
    private static long pick(long x, long v, long remaining, long backing, long bitmap) {
        for (long s = Long.highestOneBit(bitmap); s != 0; s >>>= 1) {
            if ((bitmap & s) != 0 && s <= backing && Long.compareUnsigned(s, remaining) <= 0
                    && ((x | v) & (s - 1)) == 0) {
                return s;
            }
        }
        throw new IllegalStateException(String.format("no IOPTE size fits iova 0x%x va 0x%x", x, v));
    }

    private void add(long iova, long pg, long count) {
        if (!runs.isEmpty()) {
            Run prev = runs.get(runs.size() - 1);
            if (prev.pgsize == pg) {
                runs.set(runs.size() - 1, new Run(prev.iova, pg, prev.count + count));
                return;
            }
        }
        runs.add(new Run(iova, pg, count));
    }

    /** The runs, in IOVA order. */
    List<Run> runs() {
        return Collections.unmodifiableList(runs);
    }

    /** The size of the IOPTE mapping {@code iova}, or 0 if it is outside this table. */
    long pageSizeAt(long iova) {
        Run r = runAt(iova);
        return r == null ? 0 : r.pgsize;
    }

    private Run runAt(long iova) {
        for (Run r : runs) {
            if (Long.compareUnsigned(iova, r.iova) >= 0 && Long.compareUnsigned(iova, r.last()) <= 0) {
                return r;
            }
        }
        return null;
    }

    /** The hardware sets the dirty bit of every IOPTE a write to {@code [first, last]} touches. */
    void markDirty(long first, long last) {
        for (Run r : runs) {
            if (Long.compareUnsigned(r.last(), first) < 0 || Long.compareUnsigned(r.iova, last) > 0) {
                continue;
            }
            long from = Long.compareUnsigned(first, r.iova) > 0 ? first : r.iova;
            long to = Long.compareUnsigned(last, r.last()) < 0 ? last : r.last();
            long i = Long.divideUnsigned(from - r.iova, r.pgsize);
            long j = Long.divideUnsigned(to - r.iova, r.pgsize);
            if (r.dirty == null) {
                r.dirty = new Bitmap(r.count);
            }
            r.dirty.setRange(i, j - i + 1);
        }
    }

    /**
     * The VT-d {@code intel_iommu_read_and_clear_dirty} walk over {@code [start, last]}: from
     * {@code start}, look up the IOPTE holding the current IOVA, report {@code [iova, iova + size)}
     * if it is dirty (clearing the bit unless {@code noClear}), and step by its size. The walk
     * starts at {@code start} itself, not at the IOPTE's start, so a range that begins inside a
     * huge IOPTE reports a window shifted by that offset, as the hardware driver does.
     */
    void readAndClear(long start, long last, boolean noClear, Recorder rec) {
        long cur = start;
        while (true) {
            Run r = runAt(cur);
            if (r == null) {
                return;
            }
            long idx = Long.divideUnsigned(cur - r.iova, r.pgsize);
            long steps = Math.min(r.count - idx, Long.divideUnsigned(last - cur, r.pgsize) + 1);
            if (r.dirty != null) {
                Run run = r;
                long from = cur;
                long first = idx;
                r.dirty.forEachRun(idx, steps, (b, n) -> {
                    rec.record(from + (b - first) * run.pgsize, run.pgsize, n);
                    if (!noClear) {
                        run.dirty.clearRange(b, n);
                    }
                });
            }
            long advance = steps * r.pgsize;
            if (Long.compareUnsigned(advance, last - cur) > 0) {
                return;
            }
            cur += advance;
        }
    }

    /** Clears every dirty bit (the read-and-clear without a bitmap that ENABLE does first). */
    void clearAll() {
        for (Run r : runs) {
            r.dirty = null;
        }
    }

    /** Number of dirty IOPTEs (for tests and diagnostics). */
    long dirtyCount() {
        long n = 0;
        for (Run r : runs) {
            n += r.dirty == null ? 0 : r.dirty.cardinality();
        }
        return n;
    }
}
