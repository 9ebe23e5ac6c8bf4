package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TraceVerifier;

/**
 * Record → read back → the same events: what the recorder appends for a run equals, column by
 * column, what the Arrow trace of the same run yields.
 */
class TraceRoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void aRecordedTraceReadsBackAsTheRowsTheRecorderProduced() throws Exception {
        Recorded inMemory = Recorded.builtIn("two-devices-p2p");
        Path dir = tmp.resolve("trace");
        Recording.of(ScenarioLoader.builtIn("two-devices-p2p")).to(dir);
        assertThat(TraceVerifier.verify(dir).ok()).isTrue();

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isTrue();
            int i = 0;
            while (trace.hasMoreEvents()) {
                RecordedEvent back = trace.readEvent();
                MemorySink.Row row = inMemory.sink.rows.get(i++);
                for (EventColumn c : EventColumn.values()) {
                    assertThat(normalize(back.get(c))).as("seq %d column %s", back.seq(), c.column())
                            .isEqualTo(normalize(row.values().get(c)));
                }
            }
            assertThat(i).isEqualTo(inMemory.sink.rows.size());

            List<MemorySink.Run> runs = new ArrayList<>();
            var cursor = trace.dirtyRuns();
            while (cursor.hasNext()) {
                RecordedDirtyRun r = cursor.next();
                runs.add(new MemorySink.Run(r.eventSeq(), r.dirtySource().orElseThrow(), r.pageSize(), r.firstPage(),
                        r.pageCount(), r.bits()));
            }
            assertThat(runs).isEqualTo(inMemory.sink.runs);

            List<IterationRow> iterations = new ArrayList<>();
            var its = trace.iterations();
            while (its.hasNext()) {
                iterations.add(its.next());
            }
            assertThat(iterations).isEqualTo(inMemory.sink.iterations);
        }
    }

    /** Both sides as they would print: numbers as longs, text as text, null as null. */
    private static Object normalize(Object v) {
        return v instanceof Number n ? (Object) n.longValue() : v;
    }
}
