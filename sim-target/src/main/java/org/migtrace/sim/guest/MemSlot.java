package org.migtrace.sim.guest;

/**
 * A KVM memory slot ({@code struct kvm_userspace_memory_region}): a guest-physical range backed by
 * part of the RAM block.
 *
 * @param slot       slot number (address space 0)
 * @param name       the QEMU memory region it comes from
 * @param gpa        {@code guest_phys_addr}
 * @param size       {@code memory_size}
 * @param hva        {@code userspace_addr}
 * @param ramOffset  offset of {@code hva} into the RAM block
 */
public record MemSlot(int slot, String name, long gpa, long size, long hva, long ramOffset) {
    /** Number of 4 KiB pages ({@code npages}). */
    public long pages() {
        return size >>> GuestMemory.PAGE_SHIFT;
    }

    /** The RAM-block page that backs the slot's first page. */
    public long firstRamPage() {
        return ramOffset >>> GuestMemory.PAGE_SHIFT;
    }

    /** First guest-physical address past the slot. */
    public long gpaEnd() {
        return gpa + size;
    }

    /** Whether {@code addr} is inside the slot. */
    public boolean containsGpa(long addr) {
        return addr >= gpa && addr - gpa < size;
    }

    /** Whether RAM-block page {@code page} backs part of this slot. */
    public boolean containsRamPage(long page) {
        long first = firstRamPage();
        return page >= first && page - first < pages();
    }
}
