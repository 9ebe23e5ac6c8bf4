package org.migtrace.cli.trace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/** {@code record}, {@code info}, {@code verify}, {@code export jsonl}, {@code import jsonl} end to end. */
class TraceCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A 2 GiB guest with one mlx5 VF logging its DMA on type1: records in well under a second. */
    private static final String SMALL = """
            {"name": "small", "seed": 5, "guest": {"memory": "2GiB"},
             "devices": [{"name": "0000:3b:00.1", "driver": "mlx5-vf", "dirty-tracking": "dma-logging",
                          "state-size": "8MiB", "dma": {"pattern": "hot-set", "fraction": 0.05, "rate": "2000 pages/s"}}],
             "cpu-workload": {"pattern": "hot-set", "fraction": 0.1, "rate": "10000 pages/s"},
             "migration": {"bandwidth": "10Gbit/s"}}
            """;

    @TempDir
    static Path dir;

    static Path trace;

    @BeforeAll
    static void recordOnce() throws Exception {
        Path scenario = dir.resolve("small.json");
        Files.writeString(scenario, SMALL);
        trace = dir.resolve("trace");
        CliRun run = CliRun.of("record", "--scenario", scenario.toString(), "-o", trace.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("recorded small (seed 5) into " + trace).contains("capture complete")
                .contains("verdict: converged at iteration");
    }

    @Test
    void infoNamesTheSourceScenarioDevicesAndOps() {
        CliRun run = CliRun.of("info", trace.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("simulated, by migtrace").contains("scenario small, seed 5")
                .contains("device src 0000:3b:00.1: mlx5-vf, v2 STOP_COPY|P2P|PRE_COPY")
                .contains("capture complete; lost events 0");
        assertThat(run.outLines()).anyMatch(l -> l.matches("syscall\\s+VFIO_IOMMU_DIRTY_PAGES\\s+.*")
                || l.matches("syscall\\s+VFIO_DEVICE_FEATURE\\s+\\d+\\s+\\d+"));
    }

    @Test
    void infoAsJsonCountsWhatTheManifestSays() throws Exception {
        CliRun run = CliRun.of("info", trace.toString(), "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("scenario").get("name").asText()).isEqualTo("small");
        assertThat(doc.get("capture_complete").asBoolean()).isTrue();
        assertThat(doc.get("events").asLong()).isPositive();
        assertThat(doc.get("ops").isArray()).isTrue();
    }

    @Test
    void aRecordedTraceVerifies() {
        CliRun run = CliRun.of("verify", trace.toString());
        assertThat(run.exit()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains(": ok: ").contains("checksums and references verified");
    }

    @Test
    void aFlippedByteIsAProblemNamingTheFile() throws Exception {
        Path copy = dir.resolve("damaged");
        Files.createDirectories(copy);
        try (var files = Files.list(trace)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path runs = copy.resolve("dirty_runs.arrow");
        try (RandomAccessFile f = new RandomAccessFile(runs.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x40);
        }
        CliRun run = CliRun.of("verify", copy.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("dirty_runs.arrow").contains("problem (");
    }

    @Test
    void jsonLinesRoundTripThroughTheCommandLine() throws Exception {
        Path jsonl = dir.resolve("t.jsonl");
        assertThat(CliRun.of("export", "jsonl", trace.toString(), "-o", jsonl.toString()).exit()).isZero();
        Path back = dir.resolve("back");
        CliRun imported = CliRun.of("import", "jsonl", jsonl.toString(), "-o", back.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported " + jsonl);
        CliRun again = CliRun.of("export", "jsonl", back.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).isEqualTo(Files.readString(jsonl));
    }

    @Test
    void recordingOverATraceIsAUsageError() {
        CliRun run = CliRun.of("record", "--scenario", "nic-converges", "-o", trace.toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("is not empty");
    }

    @Test
    void aDirectoryThatIsNotATraceIsBadInputNamingTheManifest() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRun run = CliRun.of("info", empty.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("manifest.json");
    }

    @Test
    void aBadJsonLinesFileIsRefusedWithItsLineAndLeavesNothing() throws Exception {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"ts_ns\": 5, \"actor\": \"vmm\", \"kind\": \"syscall\", \"op\": \"openat\"}\n"
                + "{\"ts_ns\": 6, \"actor\": \"vmm\", \"kind\": \"syscall\", \"op\": \"close\", \"iova\": \"x\"}\n");
        Path out = dir.resolve("bad-trace");
        CliRun run = CliRun.of("import", "jsonl", bad.toString(), "-o", out.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("bad.jsonl:2").contains("iova");
        assertThat(Files.exists(out.resolve("manifest.json"))).isFalse();
    }
}
