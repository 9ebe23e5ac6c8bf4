package org.migtrace.benchmarks.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {

    private static final String JMH_JSON = """
            [ {"jmhVersion":"1.37","benchmark":"org.migtrace.benchmarks.AnalyzeBenchmark.analyze","mode":"ss",
               "params":{"events":"10000000","trace":"/tmp/t"},
               "primaryMetric":{"score":17290.5,"scoreError":"NaN","scoreUnit":"ms/op"}},
              {"jmhVersion":"1.37","benchmark":"org.migtrace.benchmarks.AnalyzeBenchmark.duckdbLoadAndCount","mode":"ss",
               "params":{"events":"10000000","trace":"/tmp/t"},
               "primaryMetric":{"score":10940.0,"scoreError":812.25,"scoreUnit":"ms/op"}} ]
            """;

    @Test
    void analyzeIsComparedWithTheLoadOfTheSameRunAndItsGoal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("AnalyzeBenchmark.json"), JMH_JSON);

        List<Score> scores = Score.read(dir.resolve("AnalyzeBenchmark.json"));

        assertThat(scores.get(0).params()).isEqualTo(Map.of("events", "10000000", "trace", "/tmp/t"));
        assertThat(scores.get(0).error()).isNaN();
        assertThat(Targets.of(scores)).singleElement().satisfies(r -> {
            assertThat(r.target()).isEqualTo("issue 6: `analyze` of 10,000,000 events vs DuckDB load + count");
            assertThat(r.measured()).isEqualTo("17,290.50 ms");
            assertThat(r.baseline()).isEqualTo("DuckDB 10,940.00 ± 812.25 ms");
            assertThat(r.ratio()).isEqualTo("1.58× its time");
            assertThat(r.met()).isTrue();
        });
    }

    @Test
    void aFileThatIsNotJmhJsonIsNamedInTheError(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("Bad.json"), "{\"benchmark\":1}");

        assertThatThrownBy(() -> Score.read(bad)).isInstanceOf(IOException.class)
                .hasMessageContaining(bad.toString()).hasMessageContaining("array of benchmarks");
    }

    @Test
    void theFiguresReplaceOnlyTheirSection(@TempDir Path dir) throws Exception {
        Path doc = Files.writeString(dir.resolve("performance.md"),
                "# Performance\n\nhand-written\n<!-- bench-figures: generated -->\nold figures\n<!-- /bench-figures -->\nmore text\n");

        DocSection.replace(doc, Figures.SECTION, "new figures\n");

        assertThat(Files.readString(doc)).isEqualTo(
                "# Performance\n\nhand-written\n<!-- bench-figures: generated -->\nnew figures\n<!-- /bench-figures -->\nmore text\n");
    }

    @Test
    void aDocWithoutTheSectionIsLeftAloneAndNamed(@TempDir Path dir) throws Exception {
        Path doc = Files.writeString(dir.resolve("performance.md"), "# Performance\n");

        assertThatThrownBy(() -> DocSection.replace(doc, Figures.SECTION, "x\n")).isInstanceOf(IOException.class)
                .hasMessageStartingWith(doc + ": no generated section 'bench-figures'");
        assertThat(Files.readString(doc)).isEqualTo("# Performance\n");
    }

    @Test
    void performanceDocHasBothGeneratedSections(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("performance.md");
        Files.copy(Path.of("../docs/performance.md"), copy);

        DocSection.replace(copy, Figures.SECTION, "jmh\n");
        DocSection.replace(copy, ScaleRun.SECTION, "scale\n");

        assertThat(Files.readString(copy)).contains("-->\njmh\n<!-- /bench-figures -->", "-->\nscale\n<!-- /scale-figures -->");
    }
}
