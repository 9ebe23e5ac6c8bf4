package org.migtrace.benchmarks.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;

/**
 * The CI smoke run: every benchmark of {@code bin/migtrace-bench} once, at the quick profile's
 * sizes, in this JVM ({@code forks(0)}); a benchmark that throws fails the build. The figures mean
 * nothing at these sizes; that every target gets one from the JSON results is what is checked.
 */
class EveryBenchmarkRunsTest {

    @Test
    void everyBenchmarkRunsOnceAndEveryTargetGetsItsFigure(@TempDir Path results) throws Exception {
        for (Plan.Suite suite : Plan.suites(Plan.Profile.QUICK, results, null)) {
            Collection<RunResult> run = new Runner(suite.options().forks(0).shouldFailOnError(true).build()).run();
            assertThat(run).as(suite.benchmark().getSimpleName()).isNotEmpty();
        }
        Figures.writeRunInfo(results, Plan.Profile.QUICK, "2026-11-21", 1);

        List<Score> scores = Figures.scores(results);
        assertThat(scores).extracting(Score::name).contains("DirtyBitmapBenchmark.arraycopyBaseline",
                "RecorderBenchmark.rawArrowSameRows", "BpftraceImportBenchmark.duckdbReadNdjsonFromJson",
                "LiveCaptureBenchmark.pipeIntoTrace", "ReplayBenchmark.replayTrace", "AnalyzeBenchmark.duckdbLoadAndCount");
        assertThat(Targets.of(scores)).extracting(Targets.Row::target).map(t -> t.substring(0, t.indexOf(':')))
                .containsExactly("issue 2", "issue 3", "issue 4", "issue 4", "issue 5", "issue 6");
        assertThat(Figures.markdown(results)).contains("with `bin/migtrace-bench --quick`", "| `ReplayBenchmark.readOnly` |");
    }
}
