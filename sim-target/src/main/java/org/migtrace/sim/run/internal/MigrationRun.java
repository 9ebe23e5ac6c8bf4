package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.IterationStats.Decision;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.scenario.MigrationSpec;
import org.migtrace.sim.scenario.Scenario;

/**
 * One precopy migration from the source QEMU to the destination QEMU, driven as QEMU 9.x/10.x's
 * migration thread drives it ({@code migration/migration.c}: {@code migration_thread},
 * {@code migration_iteration_run}, {@code migration_completion_precopy},
 * {@code migration_iteration_finish}; {@code migration/savevm.c} for the handler order: RAM first,
 * then the devices in the order they were added).
 *
 * <p>Setup starts KVM's and VFIO's dirty tracking, arms the bulk stage (every RAM page dirty), does
 * the first sync, and runs the devices' {@code save_setup} (the destination's {@code load_setup}
 * follows as the setup section arrives). Then, until switchover or the step limit: the pending
 * estimate; when it is under the threshold, the exact query (a sync, one iteration); the switchover
 * test; one {@code qemu_savevm_state_iterate} (RAM up to the rate limit, then one read per device);
 * the rate limiter. See {@link Completion} for switchover and {@link Teardown} for failure and cancel.
 */
public final class MigrationRun {
    /** {@code MAX_WAIT}: one {@code ram_save_iterate} call sends for at most 50 ms. */
    static final long RAM_MAX_WAIT_NS = 50_000_000L;
    /**
     * Virtual time of KVM's part of a sync ({@code KVM_GET_DIRTY_LOG} of every slot and folding the
     * bits into the migration bitmap): 16 ns per 64 pages, about 1 ms per 16 GiB of guest RAM.
     */
    static final long KVM_SYNC_NS_PER_WORD = 16;

    private final Scenario scenario;
    private final long seed;
    private final World world;
    private final Failure.Latch failures;
    private final SimClock clock;
    private final Qemu src;
    private final Qemu dst;
    private final SimThread mig;
    private final MigrationSpec spec;
    private final Wire wire;
    private final GuestTime time;
    private final RamState ram;
    private final List<IterationStats> rows = new ArrayList<>();
    private final long startNs;
    private long ramBytes;
    private long deviceBytes;
    private long lastSyncNs;
    private long lastSyncBytes;
    private long lastSyncDeviceBytes;
    private long uncaught;

    /** Builds the world (both hosts, both QEMUs started) for {@code scenario} with {@code seed}. */
    public MigrationRun(Scenario scenario, long seed, List<SimObserver> observers) {
        this.scenario = scenario;
        this.seed = seed;
        this.failures = new Failure.Latch();
        this.world = new World(scenario, seed, observers, failures);
        this.clock = world.clock;
        this.src = world.srcQemu;
        this.dst = world.dstQemu;
        this.mig = src.migrationThread();
        this.spec = scenario.migration();
        this.wire = new Wire(clock, spec.bandwidth().bytesPerSecond(), spec.availSwitchoverBandwidth().bytesPerSecond(),
                spec.downtimeLimit().toNanos());
        this.time = new GuestTime(clock, src.guest());
        this.ram = new RamState(src.guest());
        this.startNs = clock.nanos();
        this.lastSyncNs = startNs;
        connectDevices();
    }

    /** Each source device's data goes over the wire to the same device on the destination. */
    private void connectDevices() {
        List<VmmDevice> from = src.devices();
        List<VmmDevice> to = dst.devices();
        for (int i = 0; i < Math.min(from.size(), to.size()); i++) {
            VmmDevice peer = to.get(i);
            from.get(i).connect(data -> {
                wire.send(data.length);
                deviceBytes += data.length;
                time.catchUp();
                peer.load(data);
            });
        }
    }

    /** Runs the migration to its end. */
    public RunReport run() {
        Outcome outcome = migrate();
        return new Report(this, outcome).build();
    }

    private Outcome migrate() {
        if (failures.failed()) {
            return Outcome.blocked(failures.first().message(), failures.first());
        }
        String blocker = Blockers.of(src.devices());
        if (blocker != null) {
            return Outcome.blocked(blocker, null);
        }
        if (!setup()) {
            return new Teardown(this).failed(0);
        }
        return loop();
    }

    /** {@code qemu_savevm_state_setup} with RAM's {@code ram_init_bitmaps} first. */
    private boolean setup() {
        ram.setAll();
        src.guest().kvm().setLoggingAll(true);
        for (VfioContainer c : src.containers()) {
            if (c.startTracking(mig) < 0) {
                return false;
            }
        }
        IterationStats first = sync(0);
        rows.add(withDecision(first, ram.remainingBytes(), 0, Decision.SETUP));
        for (VmmDevice d : src.devices()) {
            if (d.saveSetup() < 0) {
                return false;
            }
        }
        for (VmmDevice d : dst.devices()) {
            if (d.loadSetup() < 0) {
                return false;
            }
        }
        List<String> names = new ArrayList<>();
        src.devices().forEach(d -> names.add(d.name()));
        src.host().emit(new MigrationEvent.Setup(src.host().name(), clock.nanos(), scenario.name(), seed,
                src.guest().memory().ramBlock().size(), tracking(), names));
        emit(rows.get(0));
        wire.start();
        return true;
    }

    private Outcome loop() {
        int iteration = 0;
        while (true) {
            if (failures.failed()) {
                return new Teardown(this).failed(iteration);
            }
            long before = clock.nanos();
            long pending = ram.remainingBytes() + estimate();
            long devicePending = 0;
            IterationStats synced = null;
            long threshold = wire.threshold();
            if (needsSync(pending, threshold)) {
                iteration++;
                synced = sync(iteration);
                devicePending = exact();
                pending = ram.remainingBytes() + devicePending;
                if (failures.failed()) {
                    return new Teardown(this).failed(iteration);
                }
            }
            boolean complete = canSwitchover() && passes(pending, threshold);
            if (synced != null) {
                Decision d = complete ? Decision.SWITCHOVER
                        : iteration >= spec.maxIterations() ? Decision.CANCEL : Decision.ITERATE;
                IterationStats row = withDecision(synced, pending, devicePending, d);
                rows.add(row);
                emit(row);
            }
            if (complete) {
                src.host().emit(new MigrationEvent.Switchover(src.host().name(), clock.nanos(), iteration, pending,
                        threshold, spec.switchoverInclusive()));
                return new Completion(this).complete(iteration);
            }
            if (synced != null && iteration >= spec.maxIterations()) {
                return new Teardown(this).cancelled(iteration);
            }
            iterate();
            wire.rateLimit();
            time.catchUp();
            if (clock.nanos() == before) {
                wire.waitWindow(); // nothing to send and nothing to sync: the thread idles to the window's end
                time.catchUp();
            }
        }
    }

    /**
     * When the exact query (a sync) runs. 9.x and later: when the estimate is under the threshold.
     * Before 8.0 ({@code ram_save_pending}) RAM synced when its own remaining bytes were under it.
     */
    private boolean needsSync(long pending, long threshold) {
        return spec.qemuMajor() >= 8 ? pending < threshold : ram.remainingBytes() < threshold;
    }

    /** The switchover test: 10.x {@code pending <= threshold}; 9.x {@code !pending || pending < threshold}. */
    private boolean passes(long pending, long threshold) {
        return spec.switchoverInclusive() ? pending <= threshold : pending == 0 || pending < threshold;
    }

    /** {@code can_switchover}: without {@code switchover-ack}, always; with it, once every device approved. */
    private boolean canSwitchover() {
        for (VmmDevice d : src.devices()) {
            if (!d.switchoverAcked()) {
                return false;
            }
        }
        return true;
    }

    private long estimate() {
        long n = 0;
        for (VmmDevice d : src.devices()) {
            n += d.pendingEstimate();
        }
        return n;
    }

    private long exact() {
        long n = 0;
        for (VmmDevice d : src.devices()) {
            n += d.pendingExact();
        }
        return n;
    }

    /** {@code qemu_savevm_state_iterate}: RAM, then each device that is active, while the rate allows. */
    private void iterate() {
        if (wire.exceeded()) {
            return;
        }
        ramIterate();
        for (VmmDevice d : src.devices()) {
            if (wire.exceeded() || failures.failed()) {
                return;
            }
            if (d.activeIterate() && d.saveIterate() < 0) {
                return;
            }
        }
    }

    /** {@code ram_save_iterate}: pages from the cursor until the window's budget is spent or nothing is dirty. */
    private void ramIterate() {
        long t0 = clock.nanos();
        long slice = Math.max(GuestMemory.PAGE_SIZE, wire.bandwidth() / 100); // 10 ms of the link
        while (!wire.exceeded()) {
            long pages = ram.send(Math.max(1, Math.min(wire.remaining(), slice) >>> GuestMemory.PAGE_SHIFT));
            if (pages == 0) {
                return;
            }
            sendRam(pages);
            if (clock.nanos() - t0 > RAM_MAX_WAIT_NS) {
                return;
            }
        }
    }

    /** Sends every dirty page, ignoring the rate limit (the completion). */
    void sendAllRam() {
        long slice = Math.max(GuestMemory.PAGE_SIZE, wire.bandwidth() / 100) >>> GuestMemory.PAGE_SHIFT;
        long pages;
        while ((pages = ram.send(slice)) > 0) {
            sendRam(pages);
        }
    }

    private void sendRam(long pages) {
        long bytes = pages << GuestMemory.PAGE_SHIFT;
        ramBytes += bytes;
        wire.send(bytes);
        time.catchUp();
    }

    /**
     * {@code migration_bitmap_sync}: KVM's log, then each VFIO container's report, folded into the
     * migration bitmap. The row's pending and decision are filled in by the caller.
     */
    IterationStats sync(int iteration) {
        time.catchUp();
        GuestMemory mem = src.guest().memory();
        long cpu = 0;
        for (int s = 0; s < mem.slots().size(); s++) {
            cpu += src.guest().kvm().dirtyPages(s);
        }
        long added = src.guest().kvm().syncTo(ram.bitmap());
        clock.advance(KVM_SYNC_NS_PER_WORD * (ram.pages() >>> 6));
        long device = 0;
        for (VfioContainer c : src.containers()) {
            VfioContainer.Report r = c.sync(mig, ram.bitmap());
            device += r.reported();
            added += r.newlyDirty();
        }
        ram.addDirty(added);
        uncaught = Math.max(uncaught, ram.uncaughtWrites()); // before the guest moves on
        time.catchUp();
        long now = clock.nanos();
        IterationStats row = new IterationStats(iteration, now - startNs, now - lastSyncNs,
                cpu, device, added, wire.totalBytes() - lastSyncBytes, deviceBytes - lastSyncDeviceBytes,
                wire.measuredBandwidth(), 0, 0, wire.threshold(), Decision.ITERATE);
        lastSyncNs = now;
        lastSyncBytes = wire.totalBytes();
        lastSyncDeviceBytes = deviceBytes;
        return row;
    }

    private static IterationStats withDecision(IterationStats s, long pending, long devicePending, Decision d) {
        return new IterationStats(s.iteration(), s.timeNs(), s.durationNs(), s.dirtyPagesCpu(), s.dirtyPagesDevice(),
                s.newDirtyPages(), s.bytesSent(), s.deviceBytesSent(), s.bandwidth(), pending, devicePending,
                s.thresholdBytes(), d);
    }

    private void emit(IterationStats row) {
        src.host().emit(new MigrationEvent.Iteration(src.host().name(), clock.nanos(), row));
    }

    List<String> tracking() {
        List<String> out = new ArrayList<>();
        for (VfioContainer c : src.containers()) {
            out.add(c.backend() + ":" + c.trackingLabel());
        }
        return out;
    }

    // ---- for Completion, Teardown and Report

    Scenario scenario() {
        return scenario;
    }

    long seed() {
        return seed;
    }

    SimClock clock() {
        return clock;
    }

    Qemu source() {
        return src;
    }

    Qemu destination() {
        return dst;
    }

    Wire wire() {
        return wire;
    }

    GuestTime time() {
        return time;
    }

    RamState ram() {
        return ram;
    }

    Failure.Latch failures() {
        return failures;
    }

    List<IterationStats> rows() {
        return rows;
    }

    long startNs() {
        return startNs;
    }

    long ramBytes() {
        return ramBytes;
    }

    long deviceBytes() {
        return deviceBytes;
    }

    /** The most pages any sync left written but not dirty (see {@link RamState#uncaughtWrites()}). */
    long uncaughtAtSyncs() {
        return uncaught;
    }

    /** Stops VFIO's and KVM's dirty tracking ({@code ram_save_cleanup}: {@code memory_global_dirty_log_stop}). */
    void stopDirtyTracking() {
        for (VfioContainer c : src.containers()) {
            c.stopTracking(src.mainThread());
        }
        src.guest().kvm().setLoggingAll(false);
    }
}
