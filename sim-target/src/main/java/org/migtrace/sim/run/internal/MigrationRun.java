package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.IterationStats;
import org.migtrace.sim.IterationStats.Decision;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
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

    private final Scenario scenario;
    private final long seed;
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
    private long deviceBytes;
    private final BitmapSync syncs;
    private final RamSender sender;
    private int iteration;

    /** Builds the world (both hosts, both QEMUs started) for {@code scenario} with {@code seed}. */
    public MigrationRun(Scenario scenario, long seed, List<SimObserver> observers) {
        this.scenario = scenario;
        this.seed = seed;
        this.failures = new Failure.Latch();
        World world = new World(scenario, seed, observers, failures);
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
        this.syncs = new BitmapSync(this);
        this.sender = new RamSender(ram, wire, time, clock);
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
        Outcome end = null;
        while (end == null) {
            end = turn();
        }
        return end;
    }

    /** The pending size of a turn, and the sync's row when the exact query ran. */
    private record Pending(long bytes, long deviceBytes, IterationStats synced) {
    }

    /** One turn of the migration thread: null to go on, or how the migration ended. */
    private Outcome turn() {
        if (failures.failed()) {
            return new Teardown(this).failed(iteration);
        }
        long before = clock.nanos();
        long threshold = wire.threshold();
        Pending p = pending(threshold);
        if (failures.failed()) {
            return new Teardown(this).failed(iteration);
        }
        boolean complete = canSwitchover() && passes(p.bytes(), threshold);
        boolean limit = p.synced() != null && iteration >= spec.maxIterations();
        if (p.synced() != null) {
            Decision d = complete ? Decision.SWITCHOVER : limit ? Decision.CANCEL : Decision.ITERATE;
            IterationStats row = withDecision(p.synced(), p.bytes(), p.deviceBytes(), d);
            rows.add(row);
            emit(row);
        }
        if (complete) {
            src.host().emit(new MigrationEvent.Switchover(src.host().name(), clock.nanos(), iteration, p.bytes(),
                    threshold, spec.switchoverInclusive()));
            return new Completion(this).complete(iteration);
        }
        if (limit) {
            return new Teardown(this).cancelled(iteration);
        }
        iterate();
        wire.rateLimit();
        time.catchUp();
        if (clock.nanos() == before) {
            wire.waitWindow(); // nothing to send and nothing to sync: the thread idles to the window's end
            time.catchUp();
        }
        return null;
    }

    /** The estimate, and the exact query (a sync: one iteration) when the estimate calls for it. */
    private Pending pending(long threshold) {
        long estimate = ram.remainingBytes() + estimate();
        if (!needsSync(estimate, threshold)) {
            return new Pending(estimate, 0, null);
        }
        iteration++;
        IterationStats synced = sync(iteration);
        long devices = exact();
        return new Pending(ram.remainingBytes() + devices, devices, synced);
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
        sender.iterate();
        for (VmmDevice d : src.devices()) {
            if (wire.exceeded() || failures.failed()) {
                return;
            }
            if (d.activeIterate() && d.saveIterate() < 0) {
                return;
            }
        }
    }

    /** Sends every dirty page, ignoring the rate limit (the completion). */
    void sendAllRam() {
        sender.sendAll();
    }

    /** {@code migration_bitmap_sync} (see {@link BitmapSync}); the row's pending and decision come later. */
    IterationStats sync(int iteration) {
        return syncs.sync(iteration);
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
        return sender.bytes();
    }

    long deviceBytes() {
        return deviceBytes;
    }

    /** The most pages any sync left written but not dirty (see {@link RamState#uncaughtWrites()}). */
    long uncaughtAtSyncs() {
        return syncs.uncaught();
    }

    /** Stops VFIO's and KVM's dirty tracking ({@code ram_save_cleanup}: {@code memory_global_dirty_log_stop}). */
    void stopDirtyTracking() {
        for (VfioContainer c : src.containers()) {
            c.stopTracking(src.mainThread());
        }
        src.guest().kvm().setLoggingAll(false);
    }
}
