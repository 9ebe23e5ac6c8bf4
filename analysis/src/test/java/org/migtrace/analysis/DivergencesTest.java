package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.replay.Divergence;
import org.migtrace.replay.DivergenceTable;
import org.migtrace.replay.ReplayResult;
import org.migtrace.replay.Replayer;
import org.migtrace.replay.Targets;
import org.migtrace.uapi.MigtraceException;

/**
 * The {@code divergences} view on a real replay: nic-converges replayed against
 * {@code no-clear-report} (a dirty report that does not clear), its {@code divergences.arrow}
 * loaded with the trace, alone, and with the wrong trace.
 */
class DivergencesTest {

    @TempDir
    static Path tmp;

    static Path trace;
    static Path out;
    static List<Divergence> replayed;

    @BeforeAll
    static void replay() throws Exception {
        trace = SampleTraces.of("nic-converges");
        Targets targets = Targets.builtIn();
        ReplayResult r = Replayer.replay(trace, targets.get("no-clear-report"), null);
        replayed = r.divergences();
        out = tmp.resolve("out");
        DivergenceTable.write(out, replayed);
    }

    @Test
    void everyDivergenceIsJoinedToTheCallItIsAbout() throws Exception {
        assertThat(replayed).as("no-clear-report is caught by nic-converges").isNotEmpty();
        try (TraceDatabase db = TraceDatabase.load(trace, null, out)) {
            QueryResult d = db.query("SELECT d.seq, d.field, d.op, e.op AS event_op, d.device, d.state_before,"
                    + " d.lost_before FROM divergences d JOIN events e USING (seq) ORDER BY d.seq");
            assertThat(d.rows()).hasSize(replayed.size());
            assertThat(d.get(0, "seq")).isEqualTo(replayed.get(0).seq());
            assertThat(d.get(0, "field")).isEqualTo(replayed.get(0).field());
            assertThat(d.values("op")).isEqualTo(d.values("event_op"));
            // the reports that come back uncleared are the device's DMA-logging reports, made in pre-copy
            assertThat(d.values("device")).doesNotContainNull();
            assertThat(d.values("state_before")).contains("PRE_COPY");
            assertThat(d.values("lost_before")).containsOnly(0L);
        }
    }

    @Test
    void analysisShowsTheFirstDivergenceAndCountsItAsAFinding() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(trace, null, out)) {
            Analysis a = Analysis.of(db);
            assertThat(a.hasReplay()).isTrue();
            assertThat(a.divergences().rows()).hasSize(replayed.size());
            assertThat(a.replayLines().get(0)).contains(replayed.size() + " divergence")
                    .contains("the first at seq " + replayed.get(0).seq());
            assertThat(a.hasFindings()).isTrue();
            assertThat(HtmlReport.of(db)).contains("<h2>Replay divergences</h2>");
        }
        try (TraceDatabase db = TraceDatabase.load(trace)) {
            Analysis a = Analysis.of(db);
            assertThat(a.hasReplay()).isFalse();
            assertThat(a.replayLines()).isEmpty();
            assertThat(a.hasFindings()).as("nic-converges converges and breaks no rule").isFalse();
        }
    }

    @Test
    void aReplayOutputAloneIsQueriedButNotAnalyzed() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(out)) {
            assertThat(db.hasTrace()).isFalse();
            assertThat(db.readOnlyQuery("SELECT count(*) FROM divergences").rows())
                    .containsExactly(List.of((long) replayed.size()));
            assertThatThrownBy(() -> Analysis.of(db)).isInstanceOf(MigtraceException.class)
                    .hasMessageContaining("without its trace: give the trace and --replay " + out);
        }
    }

    @Test
    void theTraceDirectorysOwnDivergenceTableIsLoadedWithIt() throws Exception {
        Path copy = tmp.resolve("with-replay");
        Files.createDirectories(copy);
        try (var files = Files.list(trace)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        DivergenceTable.write(copy, replayed);
        try (TraceDatabase db = TraceDatabase.load(copy)) {
            assertThat(db.query("SELECT count(*) FROM divergences").rows()).containsExactly(List.of((long) replayed.size()));
        }
    }

    @Test
    void aReplayOfAnotherTraceIsRefusedNamingTheRow() {
        assertThatThrownBy(() -> TraceDatabase.load(SampleTraces.of("v1-legacy"), null, out))
                .isInstanceOf(MigtraceException.class)
                .hasMessageContaining(out.resolve(DivergenceTable.FILE).toString())
                .hasMessageContaining("row 1 (seq " + replayed.get(0).seq())
                .hasMessageContaining("is it the replay of another trace?");
    }

    @Test
    void aKeptDatabaseHoldsTheDivergencesOfTheReplayGivenNow() throws Exception {
        Path file = tmp.resolve("kept.duckdb");
        try (TraceDatabase db = TraceDatabase.load(trace, file, out)) {
            assertThat(db.query("SELECT count(*) FROM divergences").rows()).containsExactly(List.of((long) replayed.size()));
        }
        try (TraceDatabase db = TraceDatabase.load(trace, file)) {
            assertThat(db.query("SELECT count(*) FROM divergences").rows()).containsExactly(List.of(0L));
        }
    }

    @Test
    void aFileThatIsNoDivergenceTableIsBadInput() throws Exception {
        Path bogus = tmp.resolve("bogus");
        Files.createDirectories(bogus);
        Files.writeString(bogus.resolve(DivergenceTable.FILE), "seq,field\n1,ret\n");
        assertThatThrownBy(() -> TraceDatabase.load(trace, null, bogus))
                .isInstanceOf(MigtraceException.class)
                .hasMessageContaining(bogus.resolve(DivergenceTable.FILE) + ": not an Arrow IPC file");
        Path events = trace.resolve("events.arrow");
        assertThatThrownBy(() -> TraceDatabase.load(trace, null, events))
                .isInstanceOf(MigtraceException.class)
                .hasMessageContaining(events + ": no column ").hasMessageContaining("not a divergence table of migtrace replay");
    }
}
