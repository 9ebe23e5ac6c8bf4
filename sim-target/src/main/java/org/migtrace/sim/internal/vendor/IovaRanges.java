package org.migtrace.sim.internal.vendor;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.vfio.IovaRange;

/** Interval helpers the DMA-logging drivers share with the VFIO core. */
final class IovaRanges {
    private IovaRanges() {
    }

    /**
     * {@code vfio_combine_iova_ranges(root, cur_nodes, req_nodes)} ({@code drivers/vfio/vfio_main.c}),
     * on ranges sorted by IOVA and not overlapping (as the core hands them over): with one range
     * wanted, one range from the first start to the last end; otherwise, while there are too many,
     * merge the adjacent pair with the smallest gap ({@code next.start - prev.last}, unsigned; the
     * first such pair in IOVA order on a tie) into one. The gaps become tracked too.
     */
    static List<IovaRange> combine(List<IovaRange> sorted, int req) {
        List<long[]> nodes = new ArrayList<>(sorted.size());
        for (IovaRange r : sorted) {
            nodes.add(new long[] {r.iova(), r.last()});
        }
        if (req == 1 && !nodes.isEmpty()) {
            long[] one = {nodes.get(0)[0], nodes.get(nodes.size() - 1)[1]};
            nodes.clear();
            nodes.add(one);
        }
        while (nodes.size() > req) {
            int best = -1;
            long minGap = -1L; // ULONG_MAX
            for (int i = 1; i < nodes.size(); i++) {
                long gap = nodes.get(i)[0] - nodes.get(i - 1)[1];
                if (Long.compareUnsigned(gap, minGap) < 0) {
                    minGap = gap;
                    best = i;
                }
            }
            nodes.get(best - 1)[1] = nodes.get(best)[1];
            nodes.remove(best);
        }
        List<IovaRange> out = new ArrayList<>(nodes.size());
        for (long[] n : nodes) {
            out.add(new IovaRange(n[0], n[1] - n[0] + 1));
        }
        return out;
    }

    /** {@code ilog2(x)} on a {@code u64} ({@code fls64(x) - 1}; -1 for 0). */
    static int ilog2(long x) {
        return 63 - Long.numberOfLeadingZeros(x);
    }

    /** {@code ilog2(roundup_pow_of_two(x))}: the exponent of the smallest power of two ≥ x (0 for x ≤ 1, 64 past 2^63). */
    static int log2Ceil(long x) {
        if (Long.compareUnsigned(x, 1) <= 0) {
            return 0;
        }
        return 64 - Long.numberOfLeadingZeros(x - 1);
    }
}
