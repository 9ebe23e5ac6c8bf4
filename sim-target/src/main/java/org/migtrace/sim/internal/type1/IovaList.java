package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.vfio.IovaRange;

/**
 * The IOVA ranges a container accepts mappings in ({@code iommu->iova_list}): the intersection of
 * the domains' apertures minus the groups' reserved regions, kept sorted. Empty means "no
 * constraint" (a container with only emulated-IOMMU groups). Bounds are unsigned and inclusive, as
 * {@code struct vfio_iova} has them.
 */
final class IovaList {
    private final List<long[]> nodes = new ArrayList<>();

    IovaList copy() {
        IovaList c = new IovaList();
        for (long[] n : nodes) {
            c.nodes.add(new long[] {n[0], n[1]});
        }
        return c;
    }

    /** The ranges as {@code {start, end}} pairs, in order. */
    List<long[]> ranges() {
        List<long[]> out = new ArrayList<>(nodes.size());
        for (long[] n : nodes) {
            out.add(n.clone());
        }
        return out;
    }

    /** {@code vfio_iommu_iova_dma_valid}: a mapping {@code [start, end]} fits in one range (or there is no list). */
    boolean valid(long start, long end) {
        for (long[] n : nodes) {
            if (ge(start, n[0]) && le(end, n[1])) {
                return true;
            }
        }
        return nodes.isEmpty();
    }

    /** {@code vfio_iommu_aper_conflict}: a new aperture disjoint from the list, or cutting off mappings. */
    boolean aperConflict(DmaTree dmas, long start, long end) {
        if (nodes.isEmpty()) {
            return false;
        }
        long[] first = nodes.get(0);
        long[] last = nodes.get(nodes.size() - 1);
        if (gt(start, last[1]) || lt(end, first[0])) {
            return true;
        }
        if (gt(start, first[0]) && dmas.overlaps(first[0], start - 1)) {
            return true;
        }
        return lt(end, last[1]) && dmas.overlaps(end + 1, last[1]);
    }

    /** {@code vfio_iommu_resv_conflict}: an existing mapping overlaps a reserved region. */
    static boolean resvConflict(DmaTree dmas, List<IovaRange> resv) {
        for (IovaRange r : resv) {
            if (dmas.overlaps(r.iova(), r.last())) {
                return true;
            }
        }
        return false;
    }

    /** {@code vfio_iommu_aper_resize}: narrows (or creates) the list to {@code [start, end]}. */
    void aperResize(long start, long end) {
        if (nodes.isEmpty()) {
            nodes.add(new long[] {start, end});
            return;
        }
        while (!nodes.isEmpty()) {
            long[] n = nodes.get(0);
            if (lt(start, n[0])) {
                break;
            }
            if (ge(start, n[0]) && lt(start, n[1])) {
                n[0] = start;
                break;
            }
            nodes.remove(0);
        }
        for (int i = 0; i < nodes.size(); ) {
            long[] n = nodes.get(i);
            if (gt(end, n[1])) {
                i++;
                continue;
            }
            if (gt(end, n[0]) && le(end, n[1])) {
                n[1] = end;
                i++;
                continue;
            }
            nodes.remove(i);
        }
    }

    /** {@code vfio_iommu_resv_exclude}: cuts the reserved regions out; false when nothing is left. */
    boolean resvExclude(List<IovaRange> resv) {
        for (IovaRange r : resv) {
            long start = r.iova();
            long end = r.last();
            for (int i = 0; i < nodes.size(); ) {
                long[] n = nodes.get(i);
                if (gt(start, n[1]) || lt(end, n[0])) {
                    i++;
                    continue;
                }
                List<long[]> repl = new ArrayList<>(2);
                if (gt(start, n[0])) {
                    repl.add(new long[] {n[0], start - 1});
                }
                if (lt(end, n[1])) {
                    repl.add(new long[] {end + 1, n[1]});
                }
                nodes.remove(i);
                nodes.addAll(i, repl);
                i += repl.size();
            }
        }
        return !nodes.isEmpty();
    }

    /**
     * {@code vfio_iommu_aper_expand} after a domain went away: the list's outer bounds become the
     * intersection of the remaining apertures ({@code [0, ~0]} when none is left).
     */
    void aperExpand(boolean domainsLeft, long apertureEnd) {
        if (nodes.isEmpty()) {
            return;
        }
        nodes.get(0)[0] = 0;
        nodes.get(nodes.size() - 1)[1] = domainsLeft ? apertureEnd : -1L;
    }

    /**
     * {@code vfio_iommu_resv_refresh}: rebuilds the list from its outer bounds minus the remaining
     * groups' reserved regions; false (list unusable, caller keeps the old one) when it was empty or
     * nothing is left.
     */
    boolean resvRefresh(List<IovaRange> resv) {
        if (nodes.isEmpty()) {
            return false;
        }
        long start = nodes.get(0)[0];
        long end = nodes.get(nodes.size() - 1)[1];
        nodes.clear();
        aperResize(start, end);
        return resvExclude(resv);
    }

    private static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    private static boolean le(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0;
    }

    private static boolean gt(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    private static boolean ge(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0;
    }
}
