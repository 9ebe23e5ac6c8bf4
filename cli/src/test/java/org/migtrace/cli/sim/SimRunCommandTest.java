package org.migtrace.cli.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/** {@code migtrace sim run}: output shapes, determinism, exit statuses. */
class SimRunCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A 2 GiB guest with one HiSilicon VF on IOMMUFD, as JSON: converges in well under a second. */
    private static final String SMALL = """
            {"name": "small", "seed": 5, "guest": {"memory": "2GiB"},
             "iommu": {"backend": "iommufd"},
             "devices": [{"name": "0000:75:00.1", "driver": "hisi-acc-vf",
                          "dma": {"pattern": "uniform", "rate": "1000 pages/s"}}],
             "cpu-workload": {"pattern": "zipf", "rate": "10000 pages/s"},
             "migration": {"bandwidth": "5Gbit/s"}}
            """;

    @TempDir
    Path dir;

    private String small() throws Exception {
        Path f = dir.resolve("small.json");
        Files.writeString(f, SMALL);
        return f.toString();
    }

    @Test
    void jsonCarriesScenarioSeedIterationsAndVerdict() throws Exception {
        CliRun run = CliRun.of("sim", "run", "--scenario", "nic-converges", "--format", "json");
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("scenario").asText()).isEqualTo("nic-converges");
        assertThat(doc.get("seed").asLong()).isEqualTo(1);
        JsonNode iterations = doc.get("iterations");
        assertThat(iterations.isArray()).isTrue();
        assertThat(iterations.size()).isGreaterThanOrEqualTo(3);
        List<String> keys = new ArrayList<>();
        iterations.get(1).fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("iteration", "time_ns", "duration_ns", "dirty_pages_cpu", "dirty_pages_device",
                "new_dirty_pages", "bytes_sent", "device_bytes_sent", "bandwidth", "pending_bytes",
                "device_pending_bytes", "threshold_bytes", "decision");
        assertThat(iterations.get(0).get("decision").asText()).isEqualTo("setup");
        JsonNode verdict = doc.get("verdict");
        assertThat(verdict.get("converged").asBoolean()).isTrue();
        assertThat(verdict.get("reason").asText()).isEqualTo("converged");
        assertThat(verdict.get("iteration").asInt()).isEqualTo(iterations.get(iterations.size() - 1).get("iteration").asInt());
        assertThat(doc.get("lost_pages").asLong()).isZero();
    }

    @Test
    void theSameSeedPrintsTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        String file = small();
        CliRun a = CliRun.of("sim", "run", "--scenario", file, "--format", "json");
        CliRun b = CliRun.of("sim", "run", "--scenario", file, "--format", "json");
        CliRun c = CliRun.of("sim", "run", "--scenario", file, "--seed", "6", "--format", "json");
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(b.out()).isEqualTo(a.out());
        assertThat(JSON.readTree(c.out()).get("seed").asLong()).isEqualTo(6);
        assertThat(JSON.readTree(c.out()).get("iterations")).isNotEqualTo(JSON.readTree(a.out()).get("iterations"));
    }

    @Test
    void theTableEndsWithTheVerdictAndHowToRerun() throws Exception {
        CliRun run = CliRun.of("sim", "run", "--scenario", small(), "--seed", "11");
        assertThat(run.exit()).isZero();
        List<String> lines = run.outLines();
        assertThat(lines.get(0)).startsWith("iter").contains("dirty cpu", "dirty dev", "pending", "threshold", "decision");
        assertThat(lines).anyMatch(l -> l.startsWith("verdict: converged at iteration"));
        assertThat(lines).contains("rerun: migtrace sim run --scenario small --seed 11");
    }

    @Test
    void csvPrintsTheIterationsInRawUnits() throws Exception {
        CliRun run = CliRun.of("sim", "run", "--scenario", small(), "--format", "csv");
        assertThat(run.outLines().get(0)).startsWith("iteration,time_ns,duration_ns,dirty_pages_cpu");
        assertThat(run.outLines().get(1)).startsWith("0,").endsWith(",setup");
    }

    @Test
    void aMigrationThatDoesNotConvergeIsAFinding() {
        CliRun run = CliRun.of("sim", "run", "--scenario", "vf-no-dirty-tracking");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("verdict (no-dirty-tracking): did not converge");
    }

    @Test
    void anUnknownScenarioIsAUsageError() {
        CliRun run = CliRun.of("sim", "run", "--scenario", "no-such-scenario");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("migtrace sim run: Unknown scenario 'no-such-scenario': not a built-in (nic-converges,")
                .contains("(see 'migtrace sim run --help')");
        assertThat(CliRun.of("sim", "run").exit()).as("--scenario is required").isEqualTo(2);
    }

    @Test
    void aBadScenarioFileIsBadInputNamingFileAndLine() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "name: x\nguest:\n  memory: 4GiX\n");
        CliRun run = CliRun.of("sim", "run", "--scenario", f.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).startsWith("migtrace: " + f + ":3: guest.memory: unknown unit 'GiX'");
        assertThat(run.out()).isEmpty();
    }
}
