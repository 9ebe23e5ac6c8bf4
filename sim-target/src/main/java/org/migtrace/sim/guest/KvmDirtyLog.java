package org.migtrace.sim.guest;

import java.util.List;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.uapi.Errno;

/**
 * KVM's dirty page log for the guest's memslots ({@code virt/kvm/kvm_main.c}): one bitmap per slot
 * while the slot has {@code KVM_MEM_LOG_DIRTY_PAGES}, set when a vCPU writes a page. Not a syscall
 * in this model, but the same rules and return values.
 *
 * <p>Semantics are {@code KVM_GET_DIRTY_LOG} without manual protection
 * ({@code KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2} off), which is what {@code kvm_get_dirty_log_protect}
 * does then: the caller gets a snapshot of the slot's bitmap and the bitmap is cleared in the same
 * step (the pages are write-protected again), so every write after the call shows up in the next
 * one. No {@code KVM_CLEAR_DIRTY_LOG}, no dirty ring.
 *
 * <p>Enabling logging on a slot allocates a zeroed bitmap; enabling it again keeps the bitmap;
 * disabling frees it ({@code kvm_prepare_memory_region}), so the bits set before are lost.
 */
public final class KvmDirtyLog {
    /** x86's {@code KVM_USER_MEM_SLOTS}: {@code KVM_MEM_SLOTS_NUM} (32767) minus 3 internal slots. */
    public static final int KVM_USER_MEM_SLOTS = 32764;
    /** x86's address spaces: normal and SMM. */
    static final int KVM_ADDRESS_SPACE_NUM = 2;

    private final GuestMemory memory;
    private final Bitmap[] logs;

    public KvmDirtyLog(GuestMemory memory) {
        this.memory = memory;
        this.logs = new Bitmap[memory.slots().size()];
    }

    public GuestMemory memory() {
        return memory;
    }

    /**
     * {@code KVM_SET_USER_MEMORY_REGION} on an existing slot, changing only
     * {@code KVM_MEM_LOG_DIRTY_PAGES}: 0, or {@code -EINVAL} for a slot number the VM has no slot
     * for (a new slot would need a size and an address).
     */
    public long setLogging(int slot, boolean enable) {
        if (slot < 0 || slot >= logs.length) {
            return Errno.EINVAL.ret();
        }
        if (!enable) {
            logs[slot] = null;
        } else if (logs[slot] == null) {
            logs[slot] = new Bitmap(memory.slots().get(slot).pages());
        }
        return 0;
    }

    /** Enables or disables logging on every slot (what QEMU's {@code memory_global_dirty_log_start/stop} amount to). */
    public void setLoggingAll(boolean enable) {
        for (int i = 0; i < logs.length; i++) {
            setLogging(i, enable);
        }
    }

    /** Whether {@code slot} has {@code KVM_MEM_LOG_DIRTY_PAGES}. */
    public boolean logging(int slot) {
        return slot >= 0 && slot < logs.length && logs[slot] != null;
    }

    /**
     * {@code KVM_GET_DIRTY_LOG}: copies slot {@code slot}'s bitmap into {@code dst} (one bit per page,
     * {@code ceil(npages / 64)} words) and clears it. The slot number carries the address space in
     * its high 16 bits, as in {@code struct kvm_dirty_log}.
     *
     * @return 0; {@code -EINVAL} for an address space or slot id out of range; {@code -ENOENT} for
     *         a slot that does not exist or is not logging
     */
    public long getDirtyLog(int slot, long[] dst) {
        int asId = slot >>> 16;
        int id = slot & 0xFFFF;
        if (asId >= KVM_ADDRESS_SPACE_NUM || id >= KVM_USER_MEM_SLOTS) {
            return Errno.EINVAL.ret();
        }
        if (asId != 0 || id >= logs.length || logs[id] == null) {
            return Errno.ENOENT.ret(); // no memslot, or no dirty_bitmap
        }
        long[] words = logs[id].words();
        if (dst.length < words.length) {
            throw new IllegalArgumentException("dirty log buffer of " + dst.length + " words for " + words.length);
        }
        System.arraycopy(words, 0, dst, 0, words.length);
        java.util.Arrays.fill(words, 0L);
        return 0;
    }

    /**
     * Harvests every logging slot into {@code ramBitmap} (indexed by RAM-block page, as QEMU's
     * migration bitmap is): gets and clears each slot's log, ORs it in at the slot's place in the
     * RAM block, and counts the bits that were not already set there, which is what
     * {@code cpu_physical_memory_sync_dirty_bitmap} adds to the migration's dirty-page count.
     *
     * @return the number of newly set bits
     */
    public long syncTo(Bitmap ramBitmap) {
        if (ramBitmap.size() != memory.ramPages()) {
            throw new IllegalArgumentException("bitmap of " + ramBitmap.size() + " bits for " + memory.ramPages()
                    + " RAM pages");
        }
        long added = 0;
        List<MemSlot> slots = memory.slots();
        for (int i = 0; i < logs.length; i++) {
            if (logs[i] != null) {
                added += Bitmap.orAndCount(logs[i].words(), ramBitmap.words(), slots.get(i).firstRamPage());
            }
        }
        return added;
    }

    /** The pages currently set in {@code slot}'s log (0 when it is not logging). */
    public long dirtyPages(int slot) {
        return logging(slot) ? logs[slot].cardinality() : 0;
    }

    /** Sets the log bits for RAM-block pages {@code [firstPage, firstPage + pages)} in slots that are logging. */
    void mark(long firstPage, long pages) {
        List<MemSlot> slots = memory.slots();
        long end = firstPage + pages;
        for (int i = 0; i < logs.length; i++) {
            if (logs[i] == null) {
                continue;
            }
            MemSlot s = slots.get(i);
            long from = Math.max(firstPage, s.firstRamPage());
            long to = Math.min(end, s.firstRamPage() + s.pages());
            if (from < to) {
                logs[i].setRange(from - s.firstRamPage(), to - from);
            }
        }
    }
}
