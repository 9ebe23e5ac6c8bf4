package org.migtrace.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.scenario.ScenarioLoader;

class ReplayCommandTest {
    @TempDir
    static Path dir;

    static Path trace;

    @BeforeAll
    static void record() throws Exception {
        trace = dir.resolve("nic");
        Recording.of(ScenarioLoader.builtIn("nic-converges")).to(trace);
    }

    @Test
    void replayOnTheReferenceModelFindsNoDivergenceAndExitsZero() {
        CliRun run = CliRun.of("replay", trace.toString(), "--target", "kernel");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("on target kernel").contains("no divergence");
    }

    @Test
    void aVariantDivergesExitsOneAndNamesTheFirstDivergence() throws Exception {
        Path out = dir.resolve("out-precopy");
        CliRun run = CliRun.of("replay", trace.toString(), "--target", "precopy-dirty-bytes", "-o", out.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("first divergence at #").contains("VFIO_MIG_GET_PRECOPY_INFO")
                .contains("dirty_bytes expected").contains("before it:");
        assertThat(Files.size(out.resolve("divergences.arrow"))).isGreaterThan(0);
    }

    @Test
    void jsonGivesTheCountsAndTheDivergences() throws Exception {
        CliRun run = CliRun.of("replay", trace.toString(), "--target", "no-clear-report", "--format", "json");
        assertThat(run.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("target").asText()).isEqualTo("no-clear-report");
        assertThat(json.get("divergence_count").asLong()).isPositive();
        assertThat(json.get("by_field").get("bitmap").asLong()).isPositive();
        assertThat(json.get("divergences").get(0).get("op").asText()).isEqualTo("VFIO_DEVICE_FEATURE");
    }

    @Test
    void twoRunsWriteTheSameBytes() throws Exception {
        Path a = dir.resolve("det-a");
        Path b = dir.resolve("det-b");
        CliRun ra = CliRun.of("replay", trace.toString(), "--target", "no-clear-report", "-o", a.toString(), "-f", "json");
        CliRun rb = CliRun.of("replay", trace.toString(), "--target", "no-clear-report", "-o", b.toString(), "-f", "json");
        assertThat(ra.out()).isEqualTo(rb.out());
        assertThat(Files.readAllBytes(a.resolve("divergences.arrow")))
                .isEqualTo(Files.readAllBytes(b.resolve("divergences.arrow")));
    }

    @Test
    void againstComparesTwoTargetsWithEachOther() {
        CliRun same = CliRun.of("replay", trace.toString(), "--target", "kernel", "--against", "kernel");
        assertThat(same.exit()).isZero();
        CliRun diff = CliRun.of("replay", trace.toString(), "--target", "kernel", "--against", "precopy-dirty-bytes");
        assertThat(diff.exit()).isEqualTo(1);
        assertThat(diff.out()).contains("compared with target precopy-dirty-bytes").contains("dirty_bytes");
    }

    @Test
    void listTargetsNamesTheKernelAndEveryVariantOnOneLineEach() {
        CliRun run = CliRun.of("replay", "--list-targets");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("kernel").contains("no-clear-report").contains("libvfio-user #526")
                .contains("fsm-stop-copy-to-pre-copy");
    }

    @Test
    void aPluginThatIsNoFileIsAUsageErrorAndAJarWithoutTargetsBadInput() throws Exception {
        CliRun missing = CliRun.of("replay", "--list-targets", "--plugin", dir.resolve("none.jar").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("none.jar: no such file");
        Path empty = dir.resolve("empty.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new java.util.jar.JarEntry("README"));
            out.write("nothing here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
        CliRun none = CliRun.of("replay", "--list-targets", "--plugin", empty.toString());
        assertThat(none.exit()).isEqualTo(3);
        assertThat(none.err()).contains("provides no replay target");
    }

    @Test
    void aBadTraceExitsThreeAndAnUnknownTargetTwo() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("manifest.json"), "{}");
        CliRun run = CliRun.of("replay", bad.toString());
        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.err()).contains("manifest.json");
        CliRun unknown = CliRun.of("replay", trace.toString(), "--target", "no-such");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("no replay target no-such");
    }
}
