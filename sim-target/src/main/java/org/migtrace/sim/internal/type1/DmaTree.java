package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The container's mappings ({@code iommu->dma_list}, an rb-tree keyed by IOVA): non-overlapping
 * ranges in unsigned IOVA order, with the lookups {@code vfio_iommu_type1.c} uses.
 */
final class DmaTree {
    private final TreeMap<Long, Dma> byIova = new TreeMap<>(Long::compareUnsigned);

    /**
     * {@code vfio_find_dma(iommu, start, size)}: a mapping overlapping {@code [start, start + size)}
     * ({@code size >= 1}), or null. Mappings never overlap each other, so when several overlap the
     * range none of them starts and ends exactly with it, which is all callers ask about.
     */
    Dma find(long start, long size) {
        return findRange(start, start + size - 1);
    }

    /** A mapping overlapping {@code [start, last]} (unsigned, inclusive), or null. */
    Dma findRange(long start, long last) {
        Map.Entry<Long, Dma> e = byIova.floorEntry(last);
        if (e == null) {
            return null;
        }
        Dma d = e.getValue();
        return Long.compareUnsigned(d.last(), start) >= 0 ? d : null;
    }

    /** The mapping containing {@code addr}, or null. */
    Dma at(long addr) {
        return find(addr, 1);
    }

    /**
     * {@code vfio_find_dma_first_node(iommu, start, end)}: the lowest mapping that ends at or after
     * {@code start}, or null if it starts after {@code end}.
     */
    Dma first(long start, long end) {
        Map.Entry<Long, Dma> e = byIova.floorEntry(start);
        Dma d = e == null ? null : e.getValue();
        if (d == null || Long.compareUnsigned(d.last(), start) < 0) {
            Map.Entry<Long, Dma> h = byIova.higherEntry(start);
            d = h == null ? null : h.getValue();
        }
        return d != null && Long.compareUnsigned(d.iova, end) <= 0 ? d : null;
    }

    /** The mapping after {@code d} in IOVA order ({@code rb_next}), or null. */
    Dma next(Dma d) {
        Map.Entry<Long, Dma> e = byIova.higherEntry(d.iova);
        return e == null ? null : e.getValue();
    }

    /** The first mapping starting after {@code addr}, or null. */
    Dma after(long addr) {
        Map.Entry<Long, Dma> e = byIova.higherEntry(addr);
        return e == null ? null : e.getValue();
    }

    /**
     * Whether {@code [start, last]} starts or ends inside a mapping: the two {@code vfio_find_dma}
     * checks with which {@code vfio_dma_do_unmap} (v2) and {@code vfio_iova_dirty_bitmap} refuse a
     * range that bisects one.
     */
    boolean bisects(long start, long last) {
        Dma d = at(start);
        if (d != null && d.iova != start) {
            return true;
        }
        d = at(last);
        return d != null && d.last() != last;
    }

    /** Whether any mapping overlaps {@code [start, last]} (both unsigned, inclusive). */
    boolean overlaps(long start, long last) {
        return Long.compareUnsigned(last, start) >= 0 && findRange(start, last) != null;
    }

    void add(Dma d) {
        byIova.put(d.iova, d);
    }

    void remove(Dma d) {
        byIova.remove(d.iova);
    }

    /** The mappings in IOVA order (a snapshot, safe to modify the tree while walking it). */
    List<Dma> all() {
        return new ArrayList<>(byIova.values());
    }
}
