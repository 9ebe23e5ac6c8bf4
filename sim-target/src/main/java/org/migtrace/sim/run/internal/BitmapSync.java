package org.migtrace.sim.run.internal;

import org.migtrace.sim.IterationStats;
import org.migtrace.sim.IterationStats.Decision;
import org.migtrace.sim.guest.Guest;
import org.migtrace.sim.guest.GuestMemory;

/**
 * {@code migration_bitmap_sync} on the source ({@code migration/ram.c}): KVM's dirty log of every
 * memslot, then each VFIO container's report of every RAM section ({@code log_sync}), folded into
 * the migration bitmap, counting the pages that became dirty there. Right after the harvest, before
 * the guest moves on, no page may be in the RAM's write log without being dirty in the migration
 * bitmap: such a page was written since its last copy and no report caught it.
 */
final class BitmapSync {
    /**
     * Virtual time of KVM's part of a sync ({@code KVM_GET_DIRTY_LOG} of every slot and folding the
     * bits into the migration bitmap): 16 ns per 64 pages, about 1 ms per 16 GiB of guest RAM.
     */
    static final long KVM_SYNC_NS_PER_WORD = 16;

    private final MigrationRun run;
    private long lastNs;
    private long lastBytes;
    private long lastDeviceBytes;
    private long uncaught;

    BitmapSync(MigrationRun run) {
        this.run = run;
        this.lastNs = run.startNs();
    }

    /** One sync; the row's pending and decision are the caller's to fill in. */
    IterationStats sync(int iteration) {
        RamState ram = run.ram();
        Guest guest = run.source().guest();
        run.time().catchUp();
        GuestMemory mem = guest.memory();
        long cpu = 0;
        for (int s = 0; s < mem.slots().size(); s++) {
            cpu += guest.kvm().dirtyPages(s);
        }
        long added = guest.kvm().syncTo(ram.bitmap());
        run.clock().advance(KVM_SYNC_NS_PER_WORD * (ram.pages() >>> 6));
        long device = 0;
        for (VfioContainer c : run.source().containers()) {
            VfioContainer.Report r = c.sync(run.source().migrationThread(), ram.bitmap());
            device += r.reported();
            added += r.newlyDirty();
        }
        ram.addDirty(added);
        uncaught = Math.max(uncaught, ram.uncaughtWrites());
        run.time().catchUp();
        long now = run.clock().nanos();
        Wire wire = run.wire();
        IterationStats row = new IterationStats(iteration, now - run.startNs(), now - lastNs, cpu, device, added,
                wire.totalBytes() - lastBytes, run.deviceBytes() - lastDeviceBytes, wire.measuredBandwidth(), 0, 0,
                wire.threshold(), Decision.ITERATE);
        lastNs = now;
        lastBytes = wire.totalBytes();
        lastDeviceBytes = run.deviceBytes();
        return row;
    }

    /** The most pages any sync found written but not dirty. */
    long uncaught() {
        return uncaught;
    }
}
