package org.migtrace.recorder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import org.migtrace.recorder.internal.SimManifest;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceSink;
import org.migtrace.trace.TraceWriter;

/**
 * A recording of a simulated migration: a scenario and a seed, the manifest that describes the
 * trace before a row is written, and a run that streams every row into a sink.
 *
 * <pre>{@code
 * Recording rec = Recording.of(ScenarioLoader.builtIn("nic-converges")).seed(42);
 * RunReport report = rec.to(dir);                                     // a trace directory
 *
 * try (TraceSink sink = TraceWriter.create(dir, rec.manifest())) {   // or any sink
 *     RunReport report = rec.run(sink);
 * }
 * }</pre>
 *
 * <p>With {@link #run} the caller owns the sink: it creates it (a trace writer needs {@link #manifest()} for that),
 * and closes it after {@link #run} returns or throws; {@code run} neither flushes nor closes it, so
 * the same sink could take more than one run. Recordings are immutable values: {@link #seed} and
 * {@link #command} return new ones. The same scenario and seed give the same rows, byte for byte.
 */
public final class Recording {
    private final Scenario scenario;
    private final long seed;
    private final String command;

    private Recording(Scenario scenario, long seed, String command) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.seed = seed;
        this.command = command;
    }

    /** A recording of {@code scenario} with the scenario's own seed. */
    public static Recording of(Scenario scenario) {
        return new Recording(scenario, scenario.seed(), null);
    }

    /** This recording with {@code seed} in place of the scenario's. */
    public Recording seed(long newSeed) {
        return new Recording(scenario, newSeed, command);
    }

    /**
     * This recording with the command line that asked for it, which the manifest's source shows
     * (default: the API call, {@code Recording.of(nic-converges).seed(1)}).
     */
    public Recording command(String commandLine) {
        return new Recording(scenario, seed, Objects.requireNonNull(commandLine, "command"));
    }

    public Scenario scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    /**
     * The manifest to start the trace with: source {@code simulated} and this build's version, the
     * hosts {@code src} and {@code dst}, page size and guest RAM, the devices of each host with their
     * protocol, features, driver, group, IOMMU backend and dirty tracking, the container and IOMMUFD
     * contexts, the scenario's name and the seed. Not complete, no tables: the trace writer finishes it.
     */
    public Manifest manifest() {
        String cmd = command != null ? command : "Recording.of(" + scenario.name() + ").seed(" + seed + ")";
        return SimManifest.of(scenario, seed, cmd);
    }

    /**
     * Runs the migration with a {@link SimRecorder} on both hosts, appending every row to
     * {@code sink}, and returns the run's report. Exceptions from the sink propagate (the run stops).
     */
    public RunReport run(TraceSink sink) {
        return Simulation.of(scenario, seed).run(new SimRecorder(sink));
    }

    /**
     * Records into a new trace directory {@code dir} (which must not exist or be empty) and finishes
     * it. Batches reach the files as they fill and at every migration iteration, so a process killed
     * mid-run leaves a trace that opens and yields everything up to the last batch written. If the
     * run itself fails, the trace is finished as not complete and the failure propagates.
     */
    public RunReport to(Path dir) throws IOException {
        return to(dir, new SimObserver() { });
    }

    /**
     * As {@link #to(Path)}, with {@code watcher} also watching the run (after the recorder, in event
     * order): how the command line follows the migration's iterations for its progress bar.
     */
    public RunReport to(Path dir, SimObserver watcher) throws IOException {
        TraceWriter writer = TraceWriter.create(dir, manifest());
        RunReport report;
        try {
            report = Simulation.of(scenario, seed).run(new SimRecorder(writer), flushAtIterations(writer), watcher);
        } catch (RuntimeException | Error e) {
            writer.finish(false);
            throw e;
        }
        writer.close();
        return report;
    }

    /** Flushes the writer at every sync: a natural checkpoint, whatever the batch size. */
    private static SimObserver flushAtIterations(TraceWriter writer) {
        return new SimObserver() {
            @Override
            public void migration(MigrationEvent event) {
                if (event instanceof MigrationEvent.Iteration) {
                    try {
                        writer.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        };
    }
}
