package org.migtrace.cli.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;

/** {@code analyze} and {@code sql} on recorded runs of the built-in scenarios. */
class AnalysisCommandsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path converges;
    static Path stuck;

    @BeforeAll
    static void record() {
        converges = dir.resolve("nic-converges");
        stuck = dir.resolve("gpu-no-converge");
        for (Path p : new Path[] {converges, stuck}) {
            CliRun run = CliRun.of("record", "--scenario", p.getFileName().toString(), "-o", p.toString());
            assertThat(run.exit()).as(run.err()).isZero();
        }
    }

    /** The iteration whose switchover test passed, asked through {@code migtrace sql}. */
    static String switchoverIteration(Path trace) {
        CliRun run = CliRun.of("sql", trace.toString(),
                "SELECT iteration FROM iterations WHERE decision = 'switchover'", "--format", "csv");
        assertThat(run.exit()).as(run.err()).isZero();
        return run.outLines().get(1);
    }

    @Test
    void analyzeSaysWhereItConvergedAndExitsZero() {
        CliRun run = CliRun.of("analyze", converges.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("src: converged at iteration " + switchoverIteration(converges))
                .contains("would converge with: bandwidth above").contains("no protocol violations");
        assertThat(run.outLines()).anyMatch(l -> l.matches("src\\s+0\\s+.*setup"));
    }

    @Test
    void analyzeOfAMigrationThatDoesNotConvergeGivesTheReasonAndExitsOne() {
        CliRun run = CliRun.of("analyze", stuck.toString());
        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        assertThat(run.out()).contains("src: not converging after 20 iterations: device state larger than the downtime budget");
    }

    @Test
    void analyzeAsJsonHasVerdictIterationsAndViolations() throws Exception {
        CliRun run = CliRun.of("analyze", converges.toString(), "--format", "json");
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("verdict").get(0).get("status").asText()).isEqualTo("converged");
        assertThat(doc.get("iterations").get(1).get("threshold_bytes").asLong()).isPositive();
        assertThat(doc.get("iterations").get(1).get("expected_downtime_ms").asDouble())
                .isGreaterThan(doc.get("iterations").get(1).get("expected_downtime_qemu_ms").asDouble());
        assertThat(doc.get("violations").isArray()).isTrue();
    }

    @Test
    void analyzeAsMarkdownPrintsPipeTables() {
        CliRun run = CliRun.of("analyze", converges.toString(), "--format", "markdown");
        assertThat(run.outLines()).anyMatch(l -> l.startsWith("| host | iteration |"))
                .anyMatch(l -> l.startsWith("|---|---:|"));
    }

    @Test
    void twoTracesAreComparedSideBySide() {
        CliRun run = CliRun.of("analyze", converges.toString(), stuck.toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.outLines()).anyMatch(l -> l.matches("metric\\s+nic-converges\\s+gpu-no-converge"))
                .anyMatch(l -> l.matches("status\\s+converged\\s+not converging"))
                .anyMatch(l -> l.matches("iteration\\s+nic-converges pending_mib\\s+nic-converges decision\\s+"
                        + "gpu-no-converge pending_mib\\s+gpu-no-converge decision"));
    }

    @Test
    void sqlRunsAQueryOverTheViewsAndRefusesWrites() {
        CliRun count = CliRun.of("sql", converges.toString(), "SELECT count(*) AS n FROM device_states WHERE host = 'src'",
                "--format", "json");
        assertThat(count.exit()).as(count.err()).isZero();
        assertThat(count.out()).contains("{\"n\":5}");
        CliRun write = CliRun.of("sql", converges.toString(), "DELETE FROM events");
        assertThat(write.exit()).isEqualTo(2);
        assertThat(write.err()).contains("only SELECT queries run here");
    }

    @Test
    void aDbFileKeepsTheLoadedTraceForTheNextCommand() {
        Path db = dir.resolve("nic.duckdb");
        CliRun first = CliRun.of("sql", converges.toString(), "--db", db.toString(), "SELECT count(*) FROM events");
        CliRun second = CliRun.of("analyze", converges.toString(), "--db", db.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(db).exists();
    }

    @Test
    void plotWritesTheNamedChartAndRefusesUnknownNamesAndExtensions() throws Exception {
        Path png = dir.resolve("pending.png");
        CliRun run = CliRun.of("plot", converges.toString(), "--chart", "pending", "-o", png.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(java.nio.file.Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
        CliRun unknown = CliRun.of("plot", converges.toString(), "--chart", "pie", "-o", png.toString());
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown chart 'pie' (charts: pending, dirty-rate, device-states)");
        CliRun jpg = CliRun.of("plot", converges.toString(), "--chart", "pending", "-o", dir.resolve("x.jpg").toString());
        assertThat(jpg.exit()).isEqualTo(2);
    }

    @Test
    void reportWritesOneHtmlPage() throws Exception {
        Path html = dir.resolve("report.html");
        CliRun run = CliRun.of("report", stuck.toString(), "-o", html.toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(java.nio.file.Files.readString(html)).contains("not converging after 20 iterations")
                .contains("data:image/svg+xml;base64,");
    }

    @Test
    void withoutAQuerySqlPromptsForStatementsUntilQuit() {
        java.io.InputStream saved = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(("SELECT count(*) AS states\n FROM device_states\n WHERE host = 'src';\n"
                    + "DROP TABLE events;\n.quit\nSELECT 1;\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            CliRun run = CliRun.of("sql", converges.toString(), "--format", "csv");
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out()).contains("migtrace> ").contains("     ...> ").contains("states\n5\n");
            assertThat(run.err()).contains("error: only SELECT queries run here");
            assertThat(run.out()).doesNotContain("\n1\n");
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aReplaysDivergencesAreQueriedAloneOrWithTheTraceAndAnalyzeShowsTheFirst() {
        Path out = dir.resolve("replay-no-clear");
        CliRun replay = CliRun.of("replay", converges.toString(), "--target", "no-clear-report", "-o", out.toString());
        assertThat(replay.exit()).as(replay.err()).isEqualTo(1);
        CliRun alone = CliRun.of("sql", out.toString(), "SELECT min(seq) AS first, count(*) AS n FROM divergences",
                "--format", "csv");
        assertThat(alone.exit()).as(alone.err()).isZero();
        String[] firstAndCount = alone.outLines().get(1).split(",");
        CliRun joined = CliRun.of("sql", converges.toString(), "--replay", out.toString(),
                "SELECT d.seq, e.op = d.op AS same_op, d.state_before FROM divergences d JOIN events e USING (seq)"
                        + " ORDER BY d.seq LIMIT 1", "--format", "csv");
        assertThat(joined.exit()).as(joined.err()).isZero();
        assertThat(joined.outLines().get(1)).startsWith(firstAndCount[0] + ",true,");
        CliRun analyze = CliRun.of("analyze", converges.toString(), "--replay", out.toString());
        assertThat(analyze.exit()).as("a divergence is a finding").isEqualTo(1);
        assertThat(analyze.out()).contains("replay " + out.resolve("divergences.arrow") + ": " + firstAndCount[1]
                + " divergences; the first at seq " + firstAndCount[0]);
        CliRun noTrace = CliRun.of("analyze", out.toString());
        assertThat(noTrace.exit()).isEqualTo(2);
        assertThat(noTrace.err()).contains("without its trace: give the trace and --replay " + out);
    }
}
