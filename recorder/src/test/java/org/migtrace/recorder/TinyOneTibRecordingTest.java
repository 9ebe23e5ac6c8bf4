package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.MemoryWriteEvent;
import org.migtrace.sim.MigrationEvent;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.DirtySource;

/**
 * The 1 TiB scenario (2^28 pages, millions of rows) recorded in bounded memory: every event gets its
 * row, and the live heap at each sync is what the simulation alone needs, give or take a little; the
 * recorder keeps nothing per event. Heap is measured after a full GC at the same points of two runs
 * (the simulation alone, then recorded), which the scenario's determinism makes comparable.
 */
class TinyOneTibRecordingTest {
    private static final long MIB = 1L << 20;

    /** Live heap after a GC at every sync of the source. */
    static final class HeapAtSyncs implements SimObserver {
        private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        final List<Long> samples = new ArrayList<>();

        @Override
        public void migration(MigrationEvent event) {
            if (event instanceof MigrationEvent.Iteration) {
                samples.add(live());
            }
        }

        long live() {
            System.gc();
            return memory.getHeapMemoryUsage().getUsed();
        }
    }

    /** Counts what the stack reports, keeping nothing. */
    static final class Counts implements SimObserver {
        long syscalls;
        long states;
        long writes;
        long migration;

        @Override
        public void syscallExit(SyscallEvent call, long ret) {
            syscalls++;
        }

        @Override
        public void deviceState(DeviceStateEvent event) {
            states++;
        }

        @Override
        public void memoryWrite(MemoryWriteEvent event) {
            writes++;
        }

        @Override
        public void migration(MigrationEvent event) {
            migration++;
        }
    }

    @Test
    void aTerabyteGuestIsRecordedRowForRowInBoundedMemory() throws Exception {
        Scenario scenario = ScenarioLoader.builtIn("tiny-1tib");
        HeapAtSyncs alone = new HeapAtSyncs();
        long before = alone.live(); // what other tests left in this JVM
        Simulation.of(scenario).run(alone);

        CountingSink sink = new CountingSink();
        Counts seen = new Counts();
        HeapAtSyncs recorded = new HeapAtSyncs();
        RunReport report = Simulation.of(scenario).run(new SimRecorder(sink), seen, recorded);

        assertThat(sink.rowsOfKind("syscall")).isEqualTo(seen.syscalls);
        assertThat(sink.rowsOfKind("state")).isEqualTo(seen.states);
        assertThat(sink.rowsOfKind("write")).isEqualTo(seen.writes);
        assertThat(sink.rowsOfKind("migration")).isEqualTo(seen.migration);
        assertThat(sink.iterations).isEqualTo(report.iterations().size());
        assertThat(sink.rows).isGreaterThan(10_000);
        assertThat(sink.runsBySource.get(DirtySource.BITMAP)).isGreaterThan(100_000);
        assertThat(sink.runs).isGreaterThan(1_000_000);

        assertThat(recorded.samples).hasSameSizeAs(alone.samples).isNotEmpty();
        for (int i = 0; i < alone.samples.size(); i++) {
            assertThat(recorded.samples.get(i)).as("live heap at sync %d: recorded vs the simulation alone", i)
                    .isLessThan(alone.samples.get(i) + 64 * MIB);
        }
        assertThat(recorded.samples).allSatisfy(used -> assertThat(used - before).isLessThan(512 * MIB));
    }
}
