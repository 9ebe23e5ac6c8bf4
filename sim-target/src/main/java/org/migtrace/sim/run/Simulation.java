package org.migtrace.sim.run;

import java.util.List;
import java.util.Objects;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.run.internal.MigrationRun;
import org.migtrace.sim.scenario.Scenario;

/**
 * A live migration of a scenario's guest on the simulated stack: two hosts (source and destination)
 * sharing one virtual clock, the scenario's devices and IOMMU backends on each, a QEMU-like VMM on
 * each that starts the way QEMU starts (through syscalls), and a precopy migration between them
 * modelled on QEMU 9.x/10.x (or the v1 protocol of QEMU 6.0 – 7.2 for v1 devices). See
 * {@code docs/simulation.md} for what is modelled and how.
 *
 * <p>Deterministic: the same scenario and seed give the same run, event for event.
 */
public final class Simulation {
    private final Scenario scenario;
    private final long seed;

    private Simulation(Scenario scenario, long seed) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.seed = seed;
    }

    /** A simulation of {@code scenario} with its own seed. */
    public static Simulation of(Scenario scenario) {
        return new Simulation(scenario, scenario.seed());
    }

    /** A simulation of {@code scenario} with {@code seed} in place of the scenario's. */
    public static Simulation of(Scenario scenario, long seed) {
        return new Simulation(scenario, seed);
    }

    public Scenario scenario() {
        return scenario;
    }

    public long seed() {
        return seed;
    }

    /**
     * Builds both hosts, starts both QEMUs and migrates. {@code observers} watch both hosts from the
     * first syscall of QEMU's start-up to the end of the migration.
     */
    public RunReport run(SimObserver... observers) {
        return new MigrationRun(scenario, seed, List.of(observers)).run();
    }
}
