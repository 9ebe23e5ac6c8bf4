package org.migtrace.sim.guest;

import java.util.List;

/**
 * A range of pages as a writer sees it, mapped to addresses: page {@code i} of the range is a 4 KiB
 * page at some address. A device writing "all guest RAM" sees the RAM pieces back to back (its IOVA
 * runs skip the PCI hole); a device given an IOVA range sees one linear piece.
 */
final class PageSpace {
    private final long[] bases;
    private final long[] pages;
    private final long total;

    private PageSpace(long[] bases, long[] pages) {
        this.bases = bases;
        this.pages = pages;
        long t = 0;
        for (long p : pages) {
            t += p;
        }
        this.total = t;
    }

    /** Guest RAM in RAM-block order, addressed by guest-physical address (= IOVA without a vIOMMU). */
    static PageSpace ofRam(GuestMemory memory) {
        List<MemSlot> slots = memory.slots();
        long[] b = new long[slots.size()];
        long[] p = new long[slots.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = slots.get(i).gpa();
            p[i] = slots.get(i).pages();
        }
        return new PageSpace(b, p);
    }

    /** {@code pages} pages from address {@code start}. */
    static PageSpace linear(long start, long pageCount) {
        return new PageSpace(new long[] {start}, new long[] {pageCount});
    }

    long pages() {
        return total;
    }

    /** Receives an address run. */
    @FunctionalInterface
    interface AddressSink {
        void accept(long address, long bytes);
    }

    /** The address runs of pages {@code [first, first + count)} of the range, in order. */
    void map(long first, long count, AddressSink sink) {
        long skip = first;
        long left = count;
        for (int i = 0; i < bases.length && left > 0; i++) {
            if (skip >= pages[i]) {
                skip -= pages[i];
                continue;
            }
            long n = Math.min(left, pages[i] - skip);
            sink.accept(bases[i] + (skip << GuestMemory.PAGE_SHIFT), n << GuestMemory.PAGE_SHIFT);
            left -= n;
            skip = 0;
        }
        if (left > 0) {
            throw new IndexOutOfBoundsException("pages [" + first + ", +" + count + ") of " + total);
        }
    }
}
