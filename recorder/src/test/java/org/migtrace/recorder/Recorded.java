package org.migtrace.recorder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;

/**
 * A scenario recorded into a {@link MemorySink}, with what the simulated stack reported to a second
 * observer attached after the recorder (so it sees each event right after the recorder did, with
 * user memory unchanged in between). Built-in scenarios are recorded once per test JVM.
 */
final class Recorded {
    private static final Map<String, Recorded> BUILT_IN = new ConcurrentHashMap<>();

    /** Everything the stack reported, in order. */
    static final class Seen implements SimObserver {
        final List<DeviceStateEvent> states = new ArrayList<>();
        final List<MemoryWriteEvent> writes = new ArrayList<>();
        final List<MigrationEvent> migration = new ArrayList<>();
        long syscalls;

        @Override
        public void syscallExit(SyscallEvent call, long ret) {
            syscalls++;
        }

        @Override
        public void deviceState(DeviceStateEvent event) {
            states.add(event);
        }

        @Override
        public void memoryWrite(MemoryWriteEvent event) {
            writes.add(event);
        }

        @Override
        public void migration(MigrationEvent event) {
            migration.add(event);
        }
    }

    final MemorySink sink;
    final Seen seen;
    final RunReport report;

    private Recorded(MemorySink sink, Seen seen, RunReport report) {
        this.sink = sink;
        this.seen = seen;
        this.report = report;
    }

    /** The built-in scenario {@code name}, recorded (once). */
    static Recorded builtIn(String name) {
        return BUILT_IN.computeIfAbsent(name, n -> {
            try {
                return of(ScenarioLoader.builtIn(n));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** {@code scenario} recorded now, with {@code more} observers after the recorder and the collector. */
    static Recorded of(Scenario scenario, SimObserver... more) {
        MemorySink sink = new MemorySink();
        Seen seen = new Seen();
        List<SimObserver> observers = new ArrayList<>(List.of(new SimRecorder(sink), seen));
        observers.addAll(List.of(more));
        RunReport report = Simulation.of(scenario).run(observers.toArray(SimObserver[]::new));
        return new Recorded(sink, seen, report);
    }

    /** The scenario text of a small guest with one mlx5 VF whose arcs fail as {@code faults} (a YAML list) says. */
    static Scenario faultyNic(String faults) throws Exception {
        return ScenarioLoader.parse("name: faulty\nseed: 9\nguest: {memory: 2GiB}\ndevices:\n"
                + "  - name: 0000:3b:00.1\n    driver: mlx5-vf\n    state-size: 8MiB\n    precopy-initial: 4MiB\n"
                + "    faults: " + faults + "\n    dma: {pattern: hot-set, fraction: 0.01, rate: 2000 pages/s}\n"
                + "cpu-workload: {pattern: hot-set, fraction: 0.02, rate: 5000 pages/s}\n"
                + "migration: {bandwidth: 10Gbit/s}\n", "faulty.yaml");
    }
}
