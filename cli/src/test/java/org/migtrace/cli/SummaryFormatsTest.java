package org.migtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands that do something (import, record, verify, export, report, plot) print what they did
 * as a JSON document a script can parse, or a {@code field,value} table in CSV and Markdown, when
 * asked with {@code --format}; their text stays the default.
 */
class SummaryFormatsTest {

    private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("sample-traces");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path trace;

    @BeforeAll
    static void record() {
        trace = dir.resolve("nic");
        CliRun run = CliRun.of("record", "--scenario", SAMPLES.resolve("scenarios/nic-converges.yaml").toString(),
                "-o", trace.toString());
        assertThat(run.exit()).as(run.err()).isZero();
    }

    private static JsonNode json(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertThat(run.exit()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    @Test
    void recordSaysWhatItWroteAndTheVerdict() throws Exception {
        JsonNode r = json("record", "--scenario", SAMPLES.resolve("scenarios/gpu-no-converge.yaml").toString(),
                "-o", dir.resolve("gpu").toString(), "--format", "json");
        assertThat(r.get("scenario").asText()).endsWith("gpu-no-converge");
        assertThat(r.get("trace").asText()).isEqualTo(dir.resolve("gpu").toString());
        assertThat(r.get("events").asLong()).isPositive();
        assertThat(r.get("complete").asBoolean()).isTrue();
        assertThat(r.get("converged").asBoolean()).isFalse();
        assertThat(r.get("verdict").asText()).startsWith("verdict (");
    }

    @Test
    void importQemuLogListsEveryNameItDidNotUnderstand() throws Exception {
        Path log = SAMPLES.resolve("sources/qemu-10.1-precopy.log");
        JsonNode r = json("import", "qemu-log", log.toString(), "-o", dir.resolve("q").toString(), "--format", "json");
        assertThat(r.get("input").asText()).isEqualTo(log.toString());
        assertThat(r.get("events").asLong()).isEqualTo(66);
        assertThat(r.get("devices").isArray()).isTrue();
        long total = 0;
        for (JsonNode n : r.get("not_understood_by_name")) {
            total += n.get("lines").asLong();
        }
        assertThat(total).isEqualTo(r.get("not_understood").asLong());
    }

    @Test
    void exportThenImportJsonLinesEachSayTheRowCounts() throws Exception {
        Path jsonl = dir.resolve("nic.jsonl");
        JsonNode export = json("export", "jsonl", trace.toString(), "-o", jsonl.toString(), "--format", "json");
        assertThat(export.get("output").asText()).isEqualTo(jsonl.toString());
        assertThat(export.get("bytes").asLong()).isEqualTo(Files.size(jsonl));
        JsonNode imported = json("import", "jsonl", jsonl.toString(), "-o", dir.resolve("copy").toString(), "-f", "json");
        assertThat(imported.get("events").asLong()).isEqualTo(export.get("events").asLong());
        assertThat(imported.get("dirty_runs").asLong()).isEqualTo(export.get("dirty_runs").asLong());
    }

    @Test
    void exportToStandardOutputHasNoSummaryToFormat() {
        CliRun run = CliRun.of("export", "jsonl", trace.toString(), "--format", "json");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--format json needs -o FILE");
    }

    @Test
    void importBpftraceGivesTheCaptureFactsAndItsMessages() throws Exception {
        Path capture = Files.writeString(dir.resolve("capture.json"), String.join("\n", List.of(
                "{\"type\": \"attached_probes\", \"data\": {\"probes\": 17}}",
                "{\"type\": \"printf\", \"data\": \"{\\\"migtrace\\\":\\\"start\\\",\\\"script\\\":1,\\\"pid\\\":77,"
                        + "\\\"ts_ns\\\":1,\\\"bitmap_cap\\\":32768}\\n\"}",
                "{\"type\": \"lost_events\", \"data\": {\"events\": 7}}",
                "{\"type\": \"map\", \"data\": {\"@calls\": 3}}")) + "\n");
        JsonNode r = json("import", "bpftrace", capture.toString(), "-o", dir.resolve("b").toString(), "--format", "json");
        assertThat(r.get("lost_events").asLong()).isEqualTo(7);
        assertThat(r.get("started").asBoolean()).isTrue();
        assertThat(r.get("ended").asBoolean()).isFalse();
        assertThat(r.get("messages").get(0).get("type").asText()).isEqualTo("map");
    }

    @Test
    void verifyGivesTheVerdictAndTheProblemsAsRows() throws Exception {
        JsonNode r = json("verify", trace.toString(), "--format", "json");
        assertThat(r.get("ok").asBoolean()).isTrue();
        assertThat(r.get("verdict").asText()).startsWith("ok: ");
        assertThat(r.get("problems").isArray()).isTrue();
        assertThat(r.get("problems")).isEmpty();
    }

    @Test
    void reportAndPlotSayWhatTheyWrote() throws Exception {
        Path html = dir.resolve("nic.html");
        JsonNode report = json("report", trace.toString(), "-o", html.toString(), "--format", "json");
        assertThat(report.get("report").asText()).isEqualTo(html.toString());
        assertThat(report.get("bytes").asLong()).isEqualTo(Files.size(html));
        Path svg = dir.resolve("pending.svg");
        JsonNode plot = json("plot", trace.toString(), "--chart", "pending", "-o", svg.toString(), "--format", "json");
        assertThat(plot.get("chart").asText()).isEqualTo("pending");
        assertThat(plot.get("image").asText()).isEqualTo(svg.toString());
    }

    @Test
    void csvAndMarkdownPrintTheFieldsAsAFieldValueTable() {
        CliRun csv = CliRun.of("verify", trace.toString(), "--format", "csv");
        assertThat(csv.outLines()).startsWith("field,value", "trace," + trace, "ok,true");
        CliRun md = CliRun.of("verify", trace.toString(), "--format", "markdown");
        assertThat(md.outLines()).startsWith("| field | value |", "|---|---|", "| trace | " + trace + " |");
    }

    @Test
    void theDefaultIsStillTheText() {
        CliRun run = CliRun.of("verify", trace.toString());
        assertThat(run.out()).startsWith(trace + ": ok: ");
    }

    @Test
    void replayAndAnalyzeSpeakMarkdownToo() {
        CliRun replay = CliRun.of("replay", trace.toString(), "--format", "markdown");
        assertThat(replay.exit()).isZero();
        assertThat(replay.outLines()).startsWith("| seq | host | op | object | field | expected | actual | note |");
        CliRun run = CliRun.of("sim", "run", "--scenario", SAMPLES.resolve("scenarios/nic-converges.yaml").toString(),
                "--format", "markdown");
        assertThat(run.outLines().get(0)).startsWith("| iter |");
        assertThat(run.out()).contains("verdict: converged");
    }
}
