package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.TraceSummary;
import org.migtrace.uapi.MigtraceException;

class TraceDatabaseTest {

    @TempDir
    Path tmp;

    @Test
    void loadedTablesHoldEveryRowOfTheTrace() throws Exception {
        Path trace = SampleTraces.of("nic-converges");
        long events;
        long runs;
        long iterations;
        try (RecordedTrace t = RecordedTrace.open(trace)) {
            events = t.eventCount();
            runs = t.dirtyRuns().size();
            iterations = t.iterations().size();
        }
        try (TraceDatabase db = TraceDatabase.load(trace)) {
            QueryResult r = db.query("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM dirty_runs),"
                    + " (SELECT count(*) FROM iterations)");
            assertThat(r.rows()).containsExactly(List.of(events, runs, iterations));
        }
    }

    @Test
    void dirtyPagesCountAsTheSummaryCountsThem() throws Exception {
        Path trace = SampleTraces.of("nic-converges");
        TraceSummary summary = TraceSummary.read(trace);
        try (TraceDatabase db = TraceDatabase.load(trace)) {
            QueryResult r = db.query("SELECT sum(pages)::BIGINT FROM dirty_rate");
            QueryResult all = db.query("SELECT sum(page_count)::BIGINT FROM dirty_runs");
            assertThat(r.rows()).isEqualTo(all.rows());
            assertThat(all.get(0, all.columns().get(0))).isNotNull();
            assertThat(summary).isNotNull();
            long summaryPages = summary.dirtyPages().values().stream().mapToLong(Long::longValue).sum();
            assertThat(all.get(0, all.columns().get(0))).as("pages in dirty runs, by TraceSummary").isEqualTo(summaryPages);
        }
    }

    @Test
    void deviceStatesAreATimelineWithoutGaps() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("nic-converges"))) {
            QueryResult r = db.query("SELECT state FROM device_states WHERE host = 'src' ORDER BY from_ns, from_seq NULLS FIRST");
            assertThat(r.values("state")).containsExactly("RUNNING", "PRE_COPY", "PRE_COPY_P2P", "STOP_COPY", "STOP");
            QueryResult gaps = db.query("SELECT count(*) FROM (SELECT to_ns, lead(from_ns) OVER"
                    + " (PARTITION BY host, device ORDER BY from_ns, from_seq NULLS FIRST) AS next FROM device_states)"
                    + " WHERE next IS NOT NULL AND next <> to_ns");
            assertThat(gaps.rows()).containsExactly(List.of(0L));
        }
    }

    @Test
    void theWorkingSetCountsEachDistinctPageOnceWhateverTheOrderOfTiedRuns() throws Exception {
        // regression: islands framed by ROWS over runs with the same first page merged gaps into an
        // island depending on how the ties were ordered, so the count changed from one query to the next
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("nic-converges"))) {
            QueryResult distinct = db.query("SELECT source, count(DISTINCT p) AS pages FROM (SELECT source,"
                    + " unnest(range(first_page, first_page + page_count)) AS p FROM dirty_runs"
                    + " WHERE source IN ('cpu_write', 'dma_write')) GROUP BY source ORDER BY source");
            for (int i = 0; i < 3; i++) {
                assertThat(db.query("SELECT source, pages FROM working_set WHERE phase = 'trace' ORDER BY source"))
                        .isEqualTo(distinct);
            }
        }
    }

    @Test
    void aPersistentDatabaseIsReusedForTheSameTrace() throws Exception {
        Path file = tmp.resolve("t.duckdb");
        Path trace = SampleTraces.of("nic-converges");
        try (TraceDatabase db = TraceDatabase.load(trace, file)) {
            db.query("CREATE TABLE mine AS SELECT 42 AS answer");
        }
        try (TraceDatabase db = TraceDatabase.load(trace, file)) {
            assertThat(db.query("SELECT answer FROM mine").rows()).containsExactly(List.of(42L));
            assertThat(db.query("SELECT count(*) > 0 FROM events").rows()).containsExactly(List.of(true));
        }
    }

    @Test
    void userQueriesThatWriteAreRefused() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("nic-converges"))) {
            assertThat(db.readOnlyQuery("SELECT count(*) AS n FROM events WHERE kind = 'state'").rows())
                    .hasSize(1);
            assertThatThrownBy(() -> db.readOnlyQuery("DELETE FROM events"))
                    .isInstanceOf(MigtraceException.class).hasMessageContaining("only SELECT");
            assertThatThrownBy(() -> db.readOnlyQuery("DROP VIEW convergence"))
                    .isInstanceOf(MigtraceException.class);
            assertThatThrownBy(() -> db.readOnlyQuery("SELEC 1")).as("a typo is not called a write")
                    .isInstanceOf(MigtraceException.class)
                    .hasMessageStartingWith("the query does not parse: syntax error at or near \"SELEC\"");
            assertThat(db.query("SELECT count(*) > 0 FROM events").rows()).containsExactly(List.of(true));
        }
    }

    @Test
    void materializedViewsAnswerAsTheViewsDid() throws Exception {
        Path file = tmp.resolve("m.duckdb");
        Path trace = SampleTraces.of("two-devices-p2p");
        QueryResult before;
        QueryResult states;
        try (TraceDatabase db = TraceDatabase.load(trace, file)) {
            before = db.query("SELECT * FROM verdict");
            states = db.query("SELECT * FROM event_device_state ORDER BY seq");
            db.materializeForAnalysis();
            assertThat(db.query("SELECT * FROM verdict")).isEqualTo(before);
            assertThat(db.query("SELECT * FROM event_device_state ORDER BY seq")).isEqualTo(states);
        }
        try (TraceDatabase db = TraceDatabase.load(trace, file)) {
            assertThat(db.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'convergence'").rows())
                    .containsExactly(List.of("BASE TABLE"));
            assertThat(Analysis.of(db).verdict()).isEqualTo(before);
        }
    }
}
