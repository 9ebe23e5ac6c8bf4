package org.migtrace.sim.run.internal;

import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimHost;

/**
 * The end of a migration that did not complete ({@code migration_iteration_finish},
 * {@code migrate_fd_cleanup}): if the VM was stopped for switchover it starts again on the source
 * (the VM state handlers bring the devices back: RUNNING_P2P, then RUNNING); dirty logging stops;
 * each device's {@code save_cleanup} runs; then the migration notifiers fire with
 * {@code MIG_EVENT_PRECOPY_FAILED}, on which VFIO sets RUNNING (or resets the device). The
 * destination's incoming migration fails: its load side is cleaned up (QEMU there exits).
 */
final class Teardown {
    private final MigrationRun run;

    Teardown(MigrationRun run) {
        this.run = run;
    }

    Outcome failed(int iteration) {
        if (!run.time().vmRunning()) {
            run.time().setVmRunning(true);
            Completion.vmStateChange(run.source().devices(), true);
        }
        cleanUp();
        return reportFailure(run, iteration, 0, 0);
    }

    /**
     * The source reports the run's first failure now ({@code MigrationEvent.Failed}): the end of a
     * failed migration, whether it failed before switchover or in the source's cleanup after it.
     */
    static Outcome reportFailure(MigrationRun run, int iteration, long downtimeNs, long lostPages) {
        Failure f = run.failures().first();
        long now = run.clock().nanos();
        SimHost host = run.source().host();
        host.emit(new MigrationEvent.Failed(host.name(), now, f.device(), f.op(), f.errno(), f.message()));
        return new Outcome(Outcome.Kind.FAILED, iteration, downtimeNs, lostPages, now, f.message(), f);
    }

    Outcome cancelled(int iteration) {
        cleanUp();
        long now = run.clock().nanos();
        SimHost host = run.source().host();
        String reason = "no switchover after " + iteration + " iterations (max-iterations)";
        host.emit(new MigrationEvent.Cancelled(host.name(), now, iteration, reason));
        return new Outcome(Outcome.Kind.CANCELLED, iteration, 0, 0, now, reason, null);
    }

    private void cleanUp() {
        run.stopDirtyTracking();
        for (VmmDevice d : run.source().devices()) {
            d.saveCleanup();
        }
        for (VmmDevice d : run.source().devices()) {
            d.migrationFailed();
        }
        for (VmmDevice d : run.destination().devices()) {
            d.loadCleanup();
        }
    }
}
