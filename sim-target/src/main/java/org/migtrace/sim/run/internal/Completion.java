package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimHost;

/**
 * Switchover ({@code migration_completion_precopy}) and what follows on both sides:
 * <ol>
 *   <li>{@code migration_stop_vm(RUN_STATE_FINISH_MIGRATE)}: the vCPUs stop; the VM state
 *       handlers run, in reverse order of registration when stopping: first every P2P device's
 *       "prepare" handler (PRE_COPY → PRE_COPY_P2P, RUNNING → RUNNING_P2P), then every device's
 *       main handler (pre-copy → STOP_COPY, otherwise STOP; v1: clear RUNNING). A failure there is
 *       latched ({@code migration_file_set_error}) and fails the migration.</li>
 *   <li>The rate limit is lifted; RAM's {@code ram_save_complete} does the final sync and sends
 *       every dirty page; each device's {@code save_live_complete_precopy} sets STOP_COPY and reads
 *       its data fd to the end (v1: SAVING, buffers until pending is 0, then STOP).</li>
 *   <li>The destination reaches the end of the stream: {@code load_cleanup}, then the VM starts
 *       there (prepare handlers → RUNNING_P2P, then RUNNING, in registration order). Downtime runs
 *       from the VM stop on the source to here.</li>
 *   <li>The source cleans up after COMPLETED: dirty logging stops (RAM's cleanup comes first), then
 *       each device's {@code save_cleanup} (STOP_COPY → STOP, data fd closed).</li>
 * </ol>
 */
final class Completion {
    private final MigrationRun run;

    Completion(MigrationRun run) {
        this.run = run;
    }

    /** {@code vm_state_notify}: all prepare handlers, then all main handlers; in reverse when stopping. */
    static void vmStateChange(List<VmmDevice> devices, boolean running) {
        List<VmmDevice> order = new ArrayList<>(devices);
        if (!running) {
            Collections.reverse(order);
        }
        for (VmmDevice d : order) {
            d.vmStatePrepare(running);
        }
        for (VmmDevice d : order) {
            d.vmStateChange(running);
        }
    }

    Outcome complete(int iteration) {
        Failure.Latch failures = run.failures();
        Qemu src = run.source();
        Qemu dst = run.destination();
        long stoppedAt = run.clock().nanos();
        run.time().setVmRunning(false);
        vmStateChange(src.devices(), false);
        if (failures.failed()) {
            return new Teardown(run).failed(iteration);
        }
        run.wire().disableLimit();
        run.sync(iteration);
        if (failures.failed()) {
            return new Teardown(run).failed(iteration);
        }
        run.sendAllRam();
        for (VmmDevice d : src.devices()) {
            if (d.completePrecopy() < 0 || failures.failed()) {
                return new Teardown(run).failed(iteration);
            }
        }
        for (VmmDevice d : dst.devices()) {
            d.loadCleanup();
        }
        vmStateChange(dst.devices(), true);
        long downtime = run.clock().nanos() - stoppedAt;
        run.stopDirtyTracking();
        for (VmmDevice d : src.devices()) {
            d.saveCleanup();
        }
        long lost = run.ram().unsentWrites();
        if (failures.failed()) {
            return Teardown.reportFailure(run, iteration, downtime, lost);
        }
        long now = run.clock().nanos();
        SimHost host = src.host();
        host.emit(new MigrationEvent.Completed(host.name(), now, iteration, downtime, run.wire().totalBytes(), lost));
        return new Outcome(Outcome.Kind.COMPLETED, iteration, downtime, lost, now, "", null);
    }
}
