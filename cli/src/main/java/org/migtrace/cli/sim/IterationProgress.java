package org.migtrace.cli.sim;

import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.WorkProgress;

/**
 * A simulated migration's progress as the simulator knows it: the pre-copy iterations done of the
 * scenario's {@code max-iterations}, then all of it once the migration ends (a migration that
 * converges early jumps to the end: how many iterations it needs is what the run finds out).
 */
public final class IterationProgress implements SimObserver {

    private final WorkProgress progress;
    private final long limit;

    public IterationProgress(Scenario scenario, WorkProgress progress) {
        this.progress = progress;
        this.limit = scenario.migration().maxIterations();
    }

    @Override
    public void migration(MigrationEvent event) {
        if (event instanceof MigrationEvent.Iteration i) {
            progress.done(Math.min(i.stats().iteration(), limit), limit);
        } else if (event instanceof MigrationEvent.Completed || event instanceof MigrationEvent.Failed
                || event instanceof MigrationEvent.Cancelled) {
            progress.done(limit, limit);
        }
    }
}
