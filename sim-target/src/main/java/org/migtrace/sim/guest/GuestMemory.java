package org.migtrace.sim.guest;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.GuestSpec;

/**
 * Guest RAM: mapped into the VMM with the {@code mmap} syscall (so observers see it), laid out in
 * guest-physical space as q35 does, cut into KVM memslots, and carrying the write log: one bit per
 * RAM page, set by every CPU or DMA write and cleared only by the migration driver when it copies a
 * page. That log is the truth a migration is checked against: a page still set after the last copy
 * was changed and never sent.
 *
 * <p>Everything is words: a 1 TiB guest is 2^28 pages, 32 MiB per bitmap, and nothing per page.
 */
public final class GuestMemory {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    private final SimThread vmm;
    private final RamBlock ram;
    private final List<MemSlot> slots;
    private final Bitmap writeLog;

    private GuestMemory(SimThread vmm, RamBlock ram, List<MemSlot> slots, Bitmap writeLog) {
        this.vmm = vmm;
        this.ram = ram;
        this.slots = slots;
        this.writeLog = writeLog;
    }

    /** Maps {@code spec}'s guest RAM in {@code vmm}'s process. */
    public static GuestMemory map(SimThread vmm, GuestSpec spec) {
        return map(vmm, GuestLayout.of(spec), spec.backing().bytes());
    }

    /**
     * Maps {@code layout.ramSize()} bytes of anonymous memory with backing page {@code pageSize}
     * (4 KiB, or {@code MAP_HUGETLB} with {@code MAP_HUGE_2MB} / {@code MAP_HUGE_1GB}) through
     * {@code vmm}'s {@code mmap}, and starts its write log.
     *
     * @throws IllegalStateException if the mmap fails (the address space is exhausted)
     */
    public static GuestMemory map(SimThread vmm, GuestLayout layout, long pageSize) {
        int flags = Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS;
        if (pageSize == 2L << 20) {
            flags |= Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_2MB;
        } else if (pageSize == 1L << 30) {
            flags |= Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_1GB;
        } else if (pageSize != PAGE_SIZE) {
            throw new IllegalArgumentException("backing page size " + pageSize + " is not 4 KiB, 2 MiB or 1 GiB");
        }
        if (layout.ramSize() % pageSize != 0) {
            throw new IllegalArgumentException("RAM size " + layout.ramSize() + " is not a multiple of " + pageSize);
        }
        long hva = vmm.mmap(layout.ramSize(), Syscalls.PROT_READ | Syscalls.PROT_WRITE, flags, -1, 0);
        if (hva < 0) {
            throw new IllegalStateException("mmap of " + layout.ramSize() + " bytes of guest RAM failed: " + hva);
        }
        RamBlock ram = new RamBlock("pc.ram", hva, layout.ramSize(), pageSize);
        List<MemSlot> slots = new ArrayList<>();
        for (GuestLayout.Range r : layout.ranges()) {
            slots.add(new MemSlot(slots.size(), r.name(), r.gpa(), r.size(), hva + r.ramOffset(), r.ramOffset()));
        }
        Bitmap log = vmm.process().memory().trackWrites(hva);
        return new GuestMemory(vmm, ram, List.copyOf(slots), log);
    }

    /** The VMM thread that mapped the memory. */
    public SimThread vmm() {
        return vmm;
    }

    public RamBlock ramBlock() {
        return ram;
    }

    /** The KVM memslots, by slot number (which is also their index here). */
    public List<MemSlot> slots() {
        return slots;
    }

    /** Number of 4 KiB RAM pages. */
    public long ramPages() {
        return ram.pages();
    }

    /**
     * The write log: one bit per RAM-block page, set by every write that reached guest memory. The
     * migration driver clears a page's bit when it copies the page.
     */
    public Bitmap writeLog() {
        return writeLog;
    }

    /** The host virtual address of guest-physical {@code gpa}, or -1 if it is not RAM. */
    public long gpaToHva(long gpa) {
        MemSlot s = slotOfGpa(gpa);
        return s == null ? -1 : s.hva() + (gpa - s.gpa());
    }

    /** The RAM-block page backing guest-physical {@code gpa}, or -1 if it is not RAM. */
    public long gpaToRamPage(long gpa) {
        MemSlot s = slotOfGpa(gpa);
        return s == null ? -1 : (s.ramOffset() + (gpa - s.gpa())) >>> PAGE_SHIFT;
    }

    /** The guest-physical address of RAM-block page {@code page}. */
    public long ramPageToGpa(long page) {
        MemSlot s = slotOfRamPage(page);
        return s.gpa() + ((page - s.firstRamPage()) << PAGE_SHIFT);
    }

    /** The slot containing guest-physical {@code gpa}, or null. */
    public MemSlot slotOfGpa(long gpa) {
        for (MemSlot s : slots) {
            if (s.containsGpa(gpa)) {
                return s;
            }
        }
        return null;
    }

    /** The slot backed by RAM-block page {@code page}. */
    public MemSlot slotOfRamPage(long page) {
        for (MemSlot s : slots) {
            if (s.containsRamPage(page)) {
                return s;
            }
        }
        throw new IndexOutOfBoundsException("RAM page " + page + " of " + ram.pages());
    }

    /** Receives a piece of guest memory. */
    @FunctionalInterface
    public interface RunConsumer {
        /**
         * @param slot  the memslot holding the piece
         * @param gpa   its guest-physical start
         * @param hva   its host virtual address
         * @param bytes its length
         */
        void accept(MemSlot slot, long gpa, long hva, long bytes);
    }

    /**
     * Cuts RAM-block pages {@code [firstPage, firstPage + pages)} into pieces that are contiguous in
     * guest-physical space (at most one per memslot), in order.
     */
    public void forEachRamRun(long firstPage, long pages, RunConsumer consumer) {
        if (firstPage < 0 || pages < 0 || firstPage + pages > ram.pages()) {
            throw new IndexOutOfBoundsException("RAM pages [" + firstPage + ", +" + pages + ") of " + ram.pages());
        }
        long page = firstPage;
        long end = firstPage + pages;
        for (MemSlot s : slots) {
            long sEnd = s.firstRamPage() + s.pages();
            if (page >= end) {
                break;
            }
            if (page >= sEnd) {
                continue;
            }
            long n = Math.min(end, sEnd) - page;
            long off = (page - s.firstRamPage()) << PAGE_SHIFT;
            consumer.accept(s, s.gpa() + off, s.hva() + off, n << PAGE_SHIFT);
            page += n;
        }
    }

    /**
     * Cuts guest-physical {@code [gpa, gpa + length)} into the pieces that are RAM, in order; holes
     * (the PCI hole below 4 GiB, anything past RAM) are skipped.
     *
     * @return bytes of the range that are not RAM
     */
    public long forEachGpaRun(long gpa, long length, RunConsumer consumer) {
        long end = gpa + length;
        long ramBytes = 0;
        for (MemSlot s : slots) {
            long from = Math.max(gpa, s.gpa());
            long to = Math.min(end, s.gpaEnd());
            if (from < to) {
                consumer.accept(s, from, s.hva() + (from - s.gpa()), to - from);
                ramBytes += to - from;
            }
        }
        return length - ramBytes;
    }

    /**
     * Records a store to RAM-block pages {@code [firstPage, firstPage + pages)} in the write log. The
     * log is the RAM mapping's own ({@link UserMemory#trackWrites}), indexed by RAM-block page, so this
     * is what {@link UserMemory#noteWrite} does for the mapping, without looking the mapping up again
     * for every run a vCPU writes.
     */
    void notePagesWritten(long firstPage, long pages) {
        writeLog.setRange(firstPage, pages);
    }
}
