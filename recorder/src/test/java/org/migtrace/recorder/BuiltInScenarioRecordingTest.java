package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;

/**
 * Every built-in scenario but {@code tiny-1tib} (see {@link TinyOneTibRecordingTest}) recorded into
 * a sink that enforces the producer contract (seq strictly increasing, ts_ns never decreasing,
 * non-null columns, runs and iteration rows after their events): one row per event the stack
 * reported, nothing dropped or held back, and every ioctl under its uAPI name.
 */
class BuiltInScenarioRecordingTest {

    /** The scenarios small enough to keep every row in memory. */
    static Stream<String> small() {
        return ScenarioLoader.BUILT_IN.stream().filter(n -> !n.equals("tiny-1tib") && !n.equals("gpu-no-converge"));
    }

    @ParameterizedTest
    @MethodSource("small")
    void everyEventTheStackReportedHasOneRowInContractOrder(String name) {
        Recorded r = Recorded.builtIn(name); // its sink checked the contract row by row

        assertThat(r.sink.kind("syscall")).hasSize((int) r.seen.syscalls);
        assertThat(r.sink.kind("state")).hasSameSizeAs(r.seen.states);
        assertThat(r.sink.kind("write")).hasSameSizeAs(r.seen.writes);
        assertThat(r.sink.kind("migration")).hasSameSizeAs(r.seen.migration);
        assertThat(r.sink.rows).hasSize((int) (r.seen.syscalls + r.seen.states.size() + r.seen.writes.size()
                + r.seen.migration.size()));
        assertThat(r.sink.iterations).hasSameSizeAs(r.report.iterations()).isNotEmpty();
        assertThat(r.sink.runs).isNotEmpty();
    }

    @Test
    void theScenarioWithMillionsOfRunsRecordsInContractOrderToo() throws Exception {
        CountingSink sink = new CountingSink();
        Recorded.Seen seen = new Recorded.Seen();
        RunReport report = Simulation.of(ScenarioLoader.builtIn("gpu-no-converge")).run(new SimRecorder(sink), seen);

        assertThat(sink.rowsOfKind("syscall")).isEqualTo(seen.syscalls);
        assertThat(sink.rowsOfKind("state")).isEqualTo(seen.states.size());
        assertThat(sink.rowsOfKind("write")).isEqualTo(seen.writes.size());
        assertThat(sink.rowsOfKind("migration")).isEqualTo(seen.migration.size());
        assertThat(sink.iterations).isEqualTo(report.iterations().size()).isPositive();
        assertThat(sink.runs).isGreaterThan(1_000_000);
    }

    @ParameterizedTest
    @MethodSource("small")
    void everyIoctlIsRecordedByTheNameItHasOnItsFdKind(String name) {
        List<MemorySink.Row> ioctls = Recorded.builtIn(name).sink.rows.stream()
                .filter(r -> r.num(EventColumn.CMD) != null).toList();

        assertThat(ioctls).isNotEmpty().allSatisfy(r -> {
            Ioctl named = Ioctl.lookup(FdKind.valueOf(r.str(EventColumn.FD_KIND)), r.num(EventColumn.CMD)).orElseThrow();
            assertThat(r.str(EventColumn.OP)).isEqualTo(named.name());
        });
    }

    @ParameterizedTest
    @MethodSource("small")
    void iterationRowsAreTheRunsIterationsPointingAtTheirEvents(String name) {
        Recorded r = Recorded.builtIn(name);

        assertThat(r.sink.iterations).hasSameSizeAs(r.report.iterations());
        for (int i = 0; i < r.sink.iterations.size(); i++) {
            var row = r.sink.iterations.get(i);
            var stats = r.report.iterations().get(i);
            assertThat(List.of((long) row.iteration(), row.timeNs(), row.durationNs(), row.dirtyPagesCpu(), row.dirtyPagesDevice(),
                    row.newDirtyPages(), row.bytesSent(), row.deviceBytesSent(), row.bandwidth(), row.pendingBytes(),
                    row.devicePendingBytes(), row.thresholdBytes()))
                    .containsExactly((long) stats.iteration(), stats.timeNs(), stats.durationNs(), stats.dirtyPagesCpu(),
                            stats.dirtyPagesDevice(), stats.newDirtyPages(), stats.bytesSent(), stats.deviceBytesSent(),
                            stats.bandwidth(), stats.pendingBytes(), stats.devicePendingBytes(), stats.thresholdBytes());
            assertThat(row.decision()).isEqualTo(stats.decision().label());
            assertThat(row.host()).isEqualTo("src");
            MemorySink.Row event = r.sink.rows.stream().filter(e -> e.seq() == row.seq()).findFirst().orElseThrow();
            assertThat(event.num(EventColumn.TS_NS)).isEqualTo(row.tsNs());
            assertThat(event.args().get("iteration").asLong()).isEqualTo(stats.iteration());
        }
    }
}
