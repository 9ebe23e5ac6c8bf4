package org.migtrace.sim.guest;

import java.util.Arrays;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.SimHost;

/**
 * The guest's vCPUs as writers of guest memory. A store reaches a page through the host mapping,
 * so it always lands in the write log; KVM notes it in the slot's dirty log only while logging is
 * enabled there ({@code mark_page_dirty_in_slot}). Observers see one {@link MemoryWriteEvent} per
 * batch, with guest-physical runs.
 */
public final class GuestCpus {
    private final GuestMemory memory;
    private final KvmDirtyLog kvm;
    private long pagesWritten;

    public GuestCpus(GuestMemory memory, KvmDirtyLog kvm) {
        if (kvm.memory() != memory) {
            throw new IllegalArgumentException("the KVM log belongs to another guest");
        }
        this.memory = memory;
        this.kvm = kvm;
    }

    public GuestMemory memory() {
        return memory;
    }

    public KvmDirtyLog kvm() {
        return kvm;
    }

    /** Pages written so far (a page written in two batches counts twice). */
    public long pagesWritten() {
        return pagesWritten;
    }

    /**
     * The vCPUs write RAM-block pages {@code [firstPages[i], firstPages[i] + pageCounts[i])} for
     * {@code i < n}: one batch, one event.
     */
    public void write(long[] firstPages, long[] pageCounts, int n) {
        RamBlock ram = memory.ramBlock();
        for (int i = 0; i < n; i++) {
            long first = firstPages[i];
            long count = pageCounts[i];
            if (first < 0 || count <= 0 || first + count > ram.pages()) {
                throw new IndexOutOfBoundsException("RAM pages [" + first + ", +" + count + ") of " + ram.pages());
            }
            memory.notePagesWritten(first, count);
            kvm.mark(first, count);
            pagesWritten += count;
        }
        SimHost host = memory.vmm().process().host();
        if (n > 0 && host.observed()) {
            host.emit(event(host, firstPages, pageCounts, n));
        }
    }

    private MemoryWriteEvent event(SimHost host, long[] firstPages, long[] pageCounts, int n) {
        // A run of RAM pages is at most one piece per memslot in guest-physical space.
        int cap = n * memory.slots().size();
        long[] starts = new long[cap];
        long[] lengths = new long[cap];
        int[] k = {0};
        for (int i = 0; i < n; i++) {
            memory.forEachRamRun(firstPages[i], pageCounts[i], (slot, gpa, hva, bytes) -> {
                starts[k[0]] = gpa;
                lengths[k[0]++] = bytes;
            });
        }
        return new MemoryWriteEvent(host.name(), host.clock().nanos(), "cpu", null, Arrays.copyOf(starts, k[0]),
                Arrays.copyOf(lengths, k[0]), 0);
    }
}
