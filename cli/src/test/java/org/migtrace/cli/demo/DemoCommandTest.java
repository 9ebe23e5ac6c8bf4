package org.migtrace.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;
import org.migtrace.replay.DivergenceTable;

/** {@code migtrace demo}: the story it promises, and where it leaves what it made. */
class DemoCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theDemoShowsBothVerdictsTheDivergenceOfTheBugAndWhereTheReportIs() throws Exception {
        Path dir = tmp.resolve("demo");
        CliRun run = CliRun.of("demo", "-o", dir.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("[1/5] recorded gpu-no-converge into " + dir.resolve("gpu-no-converge"))
                .contains("verdict (dirty-rate): did not converge")
                .contains("[2/5] recorded nic-converges into " + dir.resolve("nic-converges"))
                .contains("verdict: converged at iteration")
                .containsPattern("\\[3/5] replayed nic-converges on kernel: \\d+ calls compared, no divergence")
                .containsPattern("\\[4/5] replayed nic-converges on no-clear-report: \\d+ calls compared, \\d+ divergences")
                .contains("first at #", "DMA_LOGGING_REPORT")
                .contains("gpu-no-converge: src: not converging", "nic-converges: src: converged at iteration")
                .contains("report: " + dir.resolve("report.html"));
        assertThat(Files.readString(dir.resolve("report.html"), StandardCharsets.UTF_8))
                .contains("gpu-no-converge", "data:image/svg+xml");
        assertThat(dir.resolve("replay-no-clear-report").resolve(DivergenceTable.FILE)).isNotEmptyFile();
    }

    @Test
    void aDirectoryInUseIsAUsageErrorAndIsLeftAlone() throws Exception {
        Files.writeString(tmp.resolve("keep.txt"), "mine");
        CliRun run = CliRun.of("demo", "-o", tmp.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains(tmp + " is not empty");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.txt");
        }
    }

    @Test
    void asJsonTheDemoListsEachStepsOutcome() throws Exception {
        Path dir = tmp.resolve("demo");
        CliRun run = CliRun.of("demo", "-o", dir.toString(), "--format", "json");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.get("report").asText()).isEqualTo(dir.resolve("report.html").toString());
        assertThat(doc.get("steps").findValuesAsText("action"))
                .containsExactly("record", "record", "replay", "replay", "analyze", "analyze");
        assertThat(doc.get("steps").get(3).get("target").asText()).isEqualTo("no-clear-report");
        assertThat(doc.get("steps").get(3).get("result").asText()).contains("divergences; first at #");
    }
}
