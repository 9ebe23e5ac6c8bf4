package org.migtrace.benchmarks.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.Manifest;

/**
 * The scale run's memory bound at a size CI can afford: scale-1tib's shape at 64 GiB (two devices,
 * 30 iterations, 1.75 M dirty-run rows) recorded, replayed and analyzed by the real commands, each
 * in a child JVM under {@code -Xmx96m} — a heap that holding the trace's rows does not fit in, as
 * the second half shows. A step that stops streaming runs out of memory here.
 */
class ScaleMemoryBoundTest {

    @Test
    void recordReplayAndAnalyzeFitAHeapThatHoldingTheRowsExceeds(@TempDir Path work) throws Exception {
        ScaleRun.Result r = ScaleRun.run(ScaleRun.Size.SMALL, work);

        assertThat(r.failed()).as("a step that failed").isEmpty();
        assertThat(r.steps()).extracting(ScaleRun.Step::command)
                .containsExactly("record --scenario scale-64gib.yaml -o trace", "replay trace", "analyze trace");
        assertThat(r.tables()).filteredOn(t -> t.name().equals("iterations")).extracting(Manifest.TableInfo::rows)
                .containsExactly(31L);
        assertThat(r.tables()).filteredOn(t -> t.name().equals("dirty_runs")).extracting(Manifest.TableInfo::rows)
                .singleElement().satisfies(rows -> assertThat(rows).isGreaterThan(1_500_000L));

        ChildJvm.Exit holding = ChildJvm.run(ScaleRun.Size.SMALL.heap, HoldEveryRow.class, List.of(r.trace().toString()),
                work.resolve("hold.out"), work.resolve("hold.err"));

        assertThat(holding.outOfMemory()).as("holding every row under the same heap runs out of memory: %s", holding)
                .isTrue();
    }
}
