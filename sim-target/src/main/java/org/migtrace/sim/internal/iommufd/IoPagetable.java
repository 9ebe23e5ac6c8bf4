package org.migtrace.sim.internal.iommufd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * An IOAS's {@code struct io_pagetable} ({@code drivers/iommu/iommufd/io_pagetable.c}): the areas
 * (IOVA to user memory), the reserved IOVA ranges (domain apertures, device MSI windows), the
 * allowed ranges, the domains (HWPTs) every area is mapped into, and the IOVA alignment, which is
 * the largest minimum page size of those domains ({@code iopt_table_add_domain},
 * {@code iopt_calculate_iova_alignment}): 1 while no domain is attached, 4096 on x86.
 */
final class IoPagetable {
    static final long PAGE_SIZE = UserMemory.PAGE_SIZE;
    private static final Comparator<Long> UNSIGNED = Long::compareUnsigned;

    /** An {@code iopt_reserved} node. */
    private record Reserved(long start, long last, Object owner) {
    }

    private final TreeMap<Long, Area> areas = new TreeMap<>(UNSIGNED);
    private final List<Reserved> reserved = new ArrayList<>();
    private final List<long[]> allowed = new ArrayList<>();
    private final List<Hwpt> domains = new ArrayList<>();
    private long iovaAlignment = 1;
    private boolean disableLargePages;

    long iovaAlignment() {
        return iovaAlignment;
    }

    boolean largePagesDisabled() {
        return disableLargePages;
    }

    List<Hwpt> domains() {
        return List.copyOf(domains);
    }

    /** The areas, in IOVA order. */
    List<Area> areas() {
        return List.copyOf(areas.values());
    }

    /** The area holding {@code iova}, or null. */
    Area areaAt(long iova) {
        var e = areas.floorEntry(iova);
        return e != null && Long.compareUnsigned(iova, e.getValue().last()) <= 0 ? e.getValue() : null;
    }

    /** {@code iopt_area_iter_first}: the lowest area intersecting {@code [start, last]}, or null. */
    Area firstArea(long start, long last) {
        Area a = areaAt(start);
        if (a != null) {
            return a;
        }
        var e = areas.ceilingEntry(start);
        return e != null && Long.compareUnsigned(e.getKey(), last) <= 0 ? e.getValue() : null;
    }

    // ---- MAP

    /** A slice of user memory to map ({@code struct iopt_pages_list}); {@code writable} is the pages' own permission. */
    record Piece(UserMemory mem, long userVa, long length, boolean writable) {
    }

    /**
     * {@code iopt_map_user_pages} after the ioctl's own checks: {@code iova[0]} is the fixed IOVA
     * on input (ignored with {@code allocIova}) and the chosen one on output.
     */
    long map(UserMemory mem, long userVa, long length, long[] iova, boolean allocIova, boolean write, boolean read) {
        // iopt_alloc_user_pages
        if (Long.compareUnsigned(length, -1L - PAGE_SIZE) > 0 || length == 0) {
            return Errno.EINVAL.ret();
        }
        if (Long.compareUnsigned(userVa + length, userVa) < 0) {
            return Errno.EOVERFLOW.ret();
        }
        return mapPieces(List.of(new Piece(mem, userVa, length, write)), length, iova, allocIova, write, read);
    }

    /** {@code iopt_map_pages}: one area per piece, placed back to back from the chosen IOVA. */
    long mapPieces(List<Piece> pieces, long length, long[] iova, boolean allocIova, boolean write, boolean read) {
        // iopt_alloc_area_pages
        if ((length & (iovaAlignment - 1)) != 0 || length == 0) {
            return Errno.EINVAL.ret();
        }
        long rc = allocIova ? allocIova(iova, pieces.get(0).userVa(), length) : checkIova(iova[0], length);
        if (rc != 0) {
            return rc;
        }
        List<Area> added = new ArrayList<>();
        long at = iova[0];
        for (Piece p : pieces) {
            // iopt_insert_area
            if (write && !p.writable()) {
                return Errno.EPERM.ret();
            }
            Area area = new Area(at, p.length(), p.userVa(), write, read, p.mem());
            if ((area.pageOffset() & (iovaAlignment - 1)) != 0) {
                return Errno.EINVAL.ret();
            }
            if (Long.compareUnsigned(area.last(), at) < 0) {
                return Errno.EOVERFLOW.ret();
            }
            added.add(area);
            at += p.length();
        }
        // iopt_fill_domains_pages: pinning happens only when a domain needs the PFNs
        for (int i = 0; i < added.size(); i++) {
            for (int d = 0; d < domains.size(); d++) {
                rc = domains.get(d).fill(added.get(i));
                if (rc != 0) {
                    for (int j = 0; j <= i; j++) {
                        for (Hwpt h : domains) {
                            h.unfill(added.get(j));
                        }
                    }
                    return rc;
                }
            }
        }
        for (Area a : added) {
            areas.put(a.iova(), a);
        }
        return 0;
    }

    /**
     * {@code iopt_get_pages}: the user memory behind {@code [iova, iova + length)}, which areas
     * must cover without a gap (ENOENT otherwise), as pieces for {@link #mapPieces}.
     */
    long getPages(long iova, long length, List<Piece> out) {
        if (length == 0) {
            return Errno.EINVAL.ret();
        }
        long last = iova + length - 1;
        if (Long.compareUnsigned(last, iova) < 0) {
            return Errno.EOVERFLOW.ret();
        }
        long rc = forEachContig(iova, last, (a, from, to) -> {
            out.add(new Piece(a.mem(), a.userAddress(from), to - from + 1, a.writeable()));
            return 0;
        });
        return rc == 0 ? 0 : Errno.ENOENT.ret();
    }

    /** {@code iopt_check_iova}. */
    private long checkIova(long iova, long length) {
        if ((iova & (iovaAlignment - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        long last = iova + length - 1;
        if (Long.compareUnsigned(last, iova) < 0) {
            return Errno.EOVERFLOW.ret();
        }
        if (reservedIntersects(iova, last)) {
            return Errno.EINVAL.ret();
        }
        return firstArea(iova, last) != null ? Errno.EEXIST.ret() : 0;
    }

    /**
     * {@code iopt_alloc_iova} (current kernel): keep the user address's alignment (capped at the
     * THP size, 2 MiB), start at the page offset of the user address, never return IOVA 0, first
     * fit in the allowed ranges minus reserved ranges and areas.
     */
    private long allocIova(long[] out, long addr, long length) {
        long pageOffset = addr % PAGE_SIZE;
        if (length == 0 || Long.compareUnsigned(length, Long.divideUnsigned(-1L, 2)) >= 0) {
            return Errno.EOVERFLOW.ret();
        }
        long align = roundupPowerOfTwo(length);
        if (addr != 0) {
            align = Math.min(align, Long.lowestOneBit(addr));
        }
        long maxAlignment = 1L << 21; // HPAGE_SIZE with CONFIG_TRANSPARENT_HUGEPAGE
        if (Long.compareUnsigned(align, maxAlignment) >= 0) {
            align = maxAlignment;
        }
        if (align < iovaAlignment) {
            return Errno.EINVAL.ret();
        }
        for (long[] span : allowedSpans(PAGE_SIZE, -1L - PAGE_SIZE)) {
            if (!fits(span, length, align, pageOffset)) {
                continue;
            }
            for (long[] hole : holes(span[0], span[1])) {
                if (fits(hole, length, align, pageOffset)) {
                    out[0] = hole[0];
                    return 0;
                }
            }
        }
        return Errno.ENOSPC.ret();
    }

    /** {@code __alloc_iova_check_range}: moves {@code span[0]} to the first usable start. */
    private static boolean fits(long[] span, long length, long align, long pageOffset) {
        long aligned = span[0] + (align - 1);
        if (Long.compareUnsigned(aligned, span[0]) < 0) {
            return false;
        }
        aligned = (aligned & ~(align - 1)) | pageOffset;
        if (Long.compareUnsigned(aligned, span[1]) >= 0 || Long.compareUnsigned(span[1] - aligned, length - 1) < 0) {
            return false;
        }
        span[0] = aligned;
        return true;
    }

    private static long roundupPowerOfTwo(long v) {
        long h = Long.highestOneBit(v);
        return h == v ? v : h << 1;
    }

    /** The allowed ranges inside {@code [start, last]}; everything when none were set. */
    private List<long[]> allowedSpans(long start, long last) {
        List<long[]> out = new ArrayList<>();
        if (allowed.isEmpty()) {
            out.add(new long[] {start, last});
            return out;
        }
        List<long[]> sorted = new ArrayList<>(allowed);
        sorted.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        for (long[] a : sorted) {
            long s = Long.compareUnsigned(a[0], start) > 0 ? a[0] : start;
            long l = Long.compareUnsigned(a[1], last) < 0 ? a[1] : last;
            if (Long.compareUnsigned(s, l) <= 0) {
                out.add(new long[] {s, l});
            }
        }
        return out;
    }

    /** The holes of (reserved ∪ areas) inside {@code [start, last]}, in order. */
    private List<long[]> holes(long start, long last) {
        List<long[]> used = new ArrayList<>();
        for (Reserved r : reserved) {
            used.add(new long[] {r.start(), r.last()});
        }
        for (Area a : areas.values()) {
            used.add(new long[] {a.iova(), a.last()});
        }
        used.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        return complement(used, start, last);
    }

    /** The parts of {@code [start, last]} that no interval in {@code sorted} covers. */
    static List<long[]> complement(List<long[]> sorted, long start, long last) {
        List<long[]> out = new ArrayList<>();
        long cur = start;
        boolean done = false;
        for (long[] u : sorted) {
            if (Long.compareUnsigned(u[1], cur) < 0) {
                continue;
            }
            if (Long.compareUnsigned(u[0], last) > 0) {
                break;
            }
            if (Long.compareUnsigned(u[0], cur) > 0) {
                out.add(new long[] {cur, u[0] - 1});
            }
            if (Long.compareUnsigned(u[1], last) >= 0) {
                done = true;
                break;
            }
            cur = u[1] + 1;
        }
        if (!done) {
            out.add(new long[] {cur, last});
        }
        return out;
    }

    // ---- UNMAP

    /**
     * {@code iopt_unmap_iova_range} (current kernel): removes every area inside {@code [start,
     * last]} in IOVA order; an area sticking out of the range stops it with ENOENT (areas removed
     * before it stay removed). Nothing mapped is success with 0 bytes; the IOAS_UNMAP ioctl turns
     * that into ENOENT itself. Unmapping drops the area's IOPTEs from every domain, and with them
     * their dirty bits.
     */
    long unmap(long start, long last, long[] unmapped) {
        long bytes = 0;
        long rc = 0;
        Area a;
        while ((a = firstArea(start, last)) != null) {
            if (Long.compareUnsigned(a.iova(), start) < 0 || Long.compareUnsigned(a.last(), last) > 0) {
                rc = Errno.ENOENT.ret();
                break;
            }
            for (Hwpt d : domains) {
                d.unfill(a);
            }
            areas.remove(a.iova());
            bytes += a.length();
        }
        unmapped[0] = bytes;
        return rc;
    }

    /** {@code iopt_unmap_iova}. */
    long unmapIova(long iova, long length, long[] unmapped) {
        if (length == 0) {
            return Errno.EINVAL.ret();
        }
        long last = iova + length - 1;
        if (Long.compareUnsigned(last, iova) < 0) {
            return Errno.EOVERFLOW.ret();
        }
        return unmap(iova, last, unmapped);
    }

    // ---- contiguous walks

    /** What a walk does with one area piece {@code [from, to]}: 0 to go on, or {@code -errno}. */
    @FunctionalInterface
    interface PieceFn {
        long apply(Area area, long from, long to);
    }

    /**
     * {@code iopt_for_each_contig_area} + {@code iopt_area_contig_done}: visits the areas covering
     * {@code [start, last]} without a gap, starting with the one holding {@code start}; stops at
     * the first hole (EINVAL, as {@code __iommu_read_and_clear_dirty} reports it) or the first
     * error of {@code fn}.
     */
    long forEachContig(long start, long last, PieceFn fn) {
        long cur = start;
        while (true) {
            Area a = areaAt(cur);
            if (a == null || Long.compareUnsigned(a.iova(), cur) > 0) {
                return Errno.EINVAL.ret();
            }
            long to = Long.compareUnsigned(last, a.last()) < 0 ? last : a.last();
            long rc = fn.apply(a, cur, to);
            if (rc != 0) {
                return rc;
            }
            if (Long.compareUnsigned(last, a.last()) <= 0) {
                return 0;
            }
            cur = a.last() + 1;
        }
    }

    // ---- reserved and allowed ranges

    private boolean reservedIntersects(long start, long last) {
        for (Reserved r : reserved) {
            if (Long.compareUnsigned(r.start(), last) <= 0 && Long.compareUnsigned(r.last(), start) >= 0) {
                return true;
            }
        }
        return false;
    }

    private boolean allowedIntersects(long start, long last) {
        for (long[] a : allowed) {
            if (Long.compareUnsigned(a[0], last) <= 0 && Long.compareUnsigned(a[1], start) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code iopt_reserve_iova}: EADDRINUSE over an area or an allowed range. */
    long reserve(long start, long last, Object owner) {
        if (firstArea(start, last) != null || allowedIntersects(start, last)) {
            return Errno.EADDRINUSE.ret();
        }
        reserved.add(new Reserved(start, last, owner));
        return 0;
    }

    /** {@code iopt_remove_reserved_iova}. */
    void removeReserved(Object owner) {
        reserved.removeIf(r -> r.owner() == owner);
    }

    /** {@code iopt_set_allow_iova}: replaces the allowed ranges; EADDRINUSE if one overlaps a reserved range. */
    long setAllowed(List<long[]> ranges) {
        for (long[] a : ranges) {
            if (reservedIntersects(a[0], a[1])) {
                return Errno.EADDRINUSE.ret();
            }
        }
        allowed.clear();
        allowed.addAll(ranges);
        return 0;
    }

    /** The holes of the reserved ranges over the whole IOVA space ({@code IOMMU_IOAS_IOVA_RANGES}). */
    List<long[]> usableRanges() {
        List<long[]> used = new ArrayList<>();
        for (Reserved r : reserved) {
            used.add(new long[] {r.start(), r.last()});
        }
        used.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        return complement(used, 0, -1L);
    }

    // ---- domains

    /**
     * {@code iopt_table_add_domain}: raises the IOVA alignment to the domain's smallest page,
     * reserves what lies outside its aperture, and fills it with every area (pinning them).
     */
    long addDomain(Hwpt domain) {
        long newAlignment = Math.max(domain.minPageSize(), iovaAlignment);
        if (newAlignment > PAGE_SIZE) {
            return Errno.EINVAL.ret();
        }
        if (newAlignment != iovaAlignment) {
            long rc = checkAlignment(newAlignment);
            if (rc != 0) {
                return rc;
            }
        }
        long apertureEnd = domain.apertureEnd();
        if (apertureEnd != -1L) {
            long rc = reserve(apertureEnd + 1, -1L, domain);
            if (rc != 0) {
                removeReserved(domain);
                return rc;
            }
        }
        List<Area> filled = new ArrayList<>();
        for (Area a : areas.values()) {
            long rc = domain.fill(a);
            if (rc != 0) {
                filled.forEach(domain::unfill);
                removeReserved(domain);
                return rc;
            }
            filled.add(a);
        }
        iovaAlignment = newAlignment;
        domains.add(domain);
        return 0;
    }

    /** {@code iopt_table_remove_domain}. */
    void removeDomain(Hwpt domain) {
        int index = domains.indexOf(domain);
        if (index < 0) {
            return;
        }
        // the xarray is kept dense by moving the tail entry into the hole
        Hwpt tail = domains.remove(domains.size() - 1);
        if (tail != domain) {
            domains.set(index, tail);
        }
        for (Area a : areas.values()) {
            domain.unfill(a);
        }
        removeReserved(domain);
        calculateAlignment();
    }

    /** {@code iopt_check_iova_alignment}. */
    private long checkAlignment(long alignment) {
        long mask = alignment - 1;
        for (Area a : areas.values()) {
            if ((a.iova() & mask) != 0 || (a.length() & mask) != 0 || (a.pageOffset() & mask) != 0) {
                return Errno.EADDRINUSE.ret();
            }
        }
        return 0;
    }

    /** {@code iopt_calculate_iova_alignment}. */
    private long calculateAlignment() {
        long alignment = disableLargePages ? PAGE_SIZE : 1;
        for (Hwpt d : domains) {
            alignment = Math.max(alignment, d.minPageSize());
        }
        if (alignment > iovaAlignment) {
            long rc = checkAlignment(alignment);
            if (rc != 0) {
                return rc;
            }
        }
        iovaAlignment = alignment;
        return 0;
    }

    /** {@code iopt_disable_large_pages}: refused once domains hold mappings. */
    long disableLargePages() {
        if (disableLargePages) {
            return 0;
        }
        if (!domains.isEmpty() && !areas.isEmpty()) {
            return Errno.EINVAL.ret();
        }
        disableLargePages = true;
        long rc = calculateAlignment();
        if (rc != 0) {
            disableLargePages = false;
        }
        return rc;
    }

    /** {@code iopt_enable_large_pages}. */
    void enableLargePages() {
        disableLargePages = false;
        calculateAlignment();
    }
}
