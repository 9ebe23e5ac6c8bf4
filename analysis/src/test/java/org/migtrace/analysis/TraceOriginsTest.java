package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.recorder.ScriptEmulator;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RawTraceFiles;
import org.migtrace.trace.RecordedTrace;

/**
 * The views, rules, verdict and report on traces that did not come from a simulation of this
 * version: a format 1.x trace (dirty runs without the {@code bits} column), and a trace from each
 * importer (bpftrace, a QEMU trace log, JSON lines).
 */
class TraceOriginsTest {

    @TempDir
    Path tmp;

    /** What an analysis of {@code trace} says, every view queried, the report drawn. */
    static Analysis analyzeAll(Path trace) throws Exception {
        try (TraceDatabase db = TraceDatabase.load(trace)) {
            for (String view : TraceDatabase.viewNames()) {
                assertThat(db.query("SELECT count(*) FROM " + view).rows()).as(view).hasSize(1);
            }
            assertThat(HtmlReport.of(db)).contains("<h2>Verdict</h2>");
            return Analysis.of(db);
        }
    }

    static Analysis analyze(Path trace) throws Exception {
        try (TraceDatabase db = TraceDatabase.load(trace)) {
            return Analysis.of(db);
        }
    }

    @Test
    void aVersion1TraceIsAnalyzedAsItsVersion2Original() throws Exception {
        Path v2 = SampleTraces.of("nic-converges");
        Path v1 = tmp.resolve("v1");
        long words = asVersion1(v2, v1);
        assertThat(words).as("the original has 64-page words for the copy to spell as runs").isPositive();
        try (TraceDatabase a = TraceDatabase.load(v2); TraceDatabase b = TraceDatabase.load(v1)) {
            assertThat(b.query("SELECT count(bits) FROM dirty_runs").rows()).containsExactly(List.of(0L));
            for (String q : List.of("SELECT source, sum(page_count) FROM dirty_runs GROUP BY ALL ORDER BY ALL",
                    "SELECT * FROM dirty_rate ORDER BY ALL", "SELECT * FROM working_set ORDER BY ALL",
                    "SELECT * FROM dirty_tracking ORDER BY ALL")) {
                assertThat(b.query(q)).as(q).isEqualTo(a.query(q));
            }
        }
        Analysis original = analyze(v2);
        Analysis old = analyze(v1);
        assertThat(old.verdict()).isEqualTo(original.verdict());
        assertThat(old.convergence()).isEqualTo(original.convergence());
        assertThat(old.violations()).isEqualTo(original.violations());
    }

    /**
     * Writes {@code from} as a format 1.0 trace into {@code to}: dirty_runs without the bits column,
     * each 64-page word spelled as the runs of its set bits (what a 1.x writer wrote); returns the
     * number of words.
     */
    static long asVersion1(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        for (String f : List.of("events.arrow", "iterations.arrow")) {
            Files.copy(from.resolve(f), to.resolve(f));
        }
        List<RecordedDirtyRun> runs = new ArrayList<>();
        long words = 0;
        try (RecordedTrace t = RecordedTrace.open(from); var cursor = t.dirtyRuns()) {
            while (cursor.hasNext()) {
                RecordedDirtyRun r = cursor.next();
                if (!r.isWord()) {
                    runs.add(r);
                    continue;
                }
                words++;
                long bits = r.bits();
                while (bits != 0) {
                    int start = Long.numberOfTrailingZeros(bits);
                    int len = Long.numberOfTrailingZeros(~(bits >>> start));
                    runs.add(new RecordedDirtyRun(r.eventSeq(), r.source(), r.pageSize(), r.firstPage() + start, len));
                    bits = len + start == 64 ? 0 : bits & (-1L << (start + len));
                }
            }
        }
        Path file = to.resolve("dirty_runs.arrow");
        RawTraceFiles.writeVersion1Runs(file, runs);
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(from.resolve("manifest.json").toFile());
        ((ObjectNode) manifest.get("format")).put("version", "1.0");
        for (var table : manifest.get("tables")) {
            if (table.get("name").asText().equals("dirty_runs")) {
                ((ObjectNode) table).put("rows", runs.size());
            }
            // format 1.0 gave each file's SHA-256 (2.1 a CRC-32C)
            ((ObjectNode) table).remove("crc32c");
            ((ObjectNode) table).put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(to.resolve(table.get("file").asText())))));
        }
        Files.writeString(to.resolve("manifest.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
        return words;
    }

    @Test
    void aBpftraceCaptureOfACorrectVmmBreaksNoRule() throws Exception {
        for (String scenario : List.of("nic-converges", "v1-legacy")) {
            ScriptEmulator script = new ScriptEmulator("src", Long.MAX_VALUE);
            Simulation.of(ScenarioLoader.builtIn(scenario)).run(script);
            Path trace = tmp.resolve("bpftrace-" + scenario);
            BpftraceImport.toTrace(InputSource.stream(scenario + ".json",
                            new ByteArrayInputStream(script.output().getBytes(StandardCharsets.UTF_8))), trace,
                    BpftraceImport.manifest(null, "test", List.of()), BpftraceImport.Options.defaults().host("src"));
            Analysis a = analyzeAll(trace);
            assertThat(a.violations().rows()).as(scenario).isEmpty();
        }
    }

    @Test
    void aQemuTraceLogIsAnalyzed() throws Exception {
        for (String log : List.of("qemu-9.2-precopy.log", "qemu-10.1-precopy.log", "era-old-pid.log")) {
            Path trace = tmp.resolve("qemulog-" + log);
            try (InputStream in = TraceOriginsTest.class.getResourceAsStream("/qemulog/" + log)) {
                assertThat(in).as(log).isNotNull();
                Importers.toTrace(Importers.byName("qemu-log").orElseThrow(), InputSource.stream(log, in), trace,
                        ImportOptions.none());
            }
            Analysis a = analyzeAll(trace);
            assertThat(a.violations().values("severity")).as(log).doesNotContain("error");
        }
    }

    @Test
    void aJsonLinesTraceIsAnalyzed() throws Exception {
        // every trace of RulesTest is a JSON-lines import too; this one goes through every output
        HandTrace t = HandTrace.v2("");
        t.feature(3, HandTrace.DEV, "DMA_LOGGING_START", "SET");
        t.setState(5, HandTrace.DEV, "RUNNING", "PRE_COPY");
        RulesTest.iterations(t, 10);
        Analysis a = analyzeAll(t.write(tmp, "jsonl"));
        assertThat(a.verdict().rows()).hasSize(1);
        assertThat(a.violations().rows()).isEmpty();
    }
}
