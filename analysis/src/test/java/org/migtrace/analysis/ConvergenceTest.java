package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The convergence table and verdict, on hand-made traces whose answer is known by hand and on
 * recorded simulations of the built-in scenarios.
 */
class ConvergenceTest {

    static final long PAGE = 4096;
    /** Guest RAM: 1 GiB. */
    static final long M = 262_144;
    /** Bandwidth: 100,000 pages/s. */
    static final long B = 100_000;
    /** 300 ms downtime limit: threshold = B x 0.3 s = 30,000 pages. */
    static final long THRESHOLD = 30_000;

    @TempDir
    Path tmp;

    /**
     * A pre-copy loop with a constant dirty rate of {@code d} pages/s: the first pass sends all M
     * pages in M/B seconds, during which d x M/B pages are dirtied; each later pass sends what the
     * one before found, so pending shrinks by d/B a pass. The vCPU writes 64 fresh pages every
     * 2.56 ms (d = 25,000 pages/s) or 4x as many.
     */
    static Path geometric(Path dir, String name, long pagesPerWrite, int passes) throws Exception {
        HandTrace t = HandTrace.v2("\"guest_memory\": " + (M * PAGE));
        long d = pagesPerWrite * 1_000_000_000L / 2_560_000L;
        t.iteration(0, "\"iteration\": 0, \"time_ns\": 0, \"duration_ns\": 0, \"dirty_pages_cpu\": 0,"
                + " \"dirty_pages_device\": 0, \"new_dirty_pages\": 0, \"bytes_sent\": 0, \"device_bytes_sent\": 0,"
                + " \"bandwidth\": 0, \"pending_bytes\": " + M * PAGE + ", \"device_pending_bytes\": 0,"
                + " \"threshold_bytes\": 0, \"decision\": \"setup\"");
        long pending = M;
        long ts = 0;
        long page = 0;
        for (int pass = 1; pass <= passes; pass++) {
            long durationNs = pending * 1_000_000_000L / B;
            long writes = durationNs / 2_560_000L;
            for (long w = 1; w <= writes; w++) {
                t.event("\"ts_ns\": " + (ts + w * 2_560_000L - 1) + ", \"host\": \"src\", \"thread\": \"CPU 0/KVM\","
                        + " \"actor\": \"guest_cpu\", \"kind\": \"write\", \"op\": \"CPU_WRITE\", \"length\": "
                        + pagesPerWrite * PAGE + ", \"count\": 1, \"dirty_runs\": [{\"source\": \"cpu_write\","
                        + " \"page_size\": 4096, \"first_page\": " + page + ", \"page_count\": " + pagesPerWrite + "}]");
                page += pagesPerWrite;
            }
            long sent = pending;
            pending = d * durationNs / 1_000_000_000L;
            ts += durationNs;
            boolean under = pending <= THRESHOLD;
            t.iteration(ts, "\"iteration\": " + pass + ", \"time_ns\": " + ts + ", \"duration_ns\": " + durationNs
                    + ", \"dirty_pages_cpu\": " + pending + ", \"dirty_pages_device\": 0, \"new_dirty_pages\": " + pending
                    + ", \"bytes_sent\": " + sent * PAGE + ", \"device_bytes_sent\": 0, \"bandwidth\": " + B * PAGE
                    + ", \"pending_bytes\": " + pending * PAGE + ", \"device_pending_bytes\": 0, \"threshold_bytes\": "
                    + THRESHOLD * PAGE + ", \"decision\": \"" + (under ? "switchover" : "iterate") + "\"");
            if (under) {
                break;
            }
        }
        return t.write(dir, name);
    }

    @Test
    void pendingShrinksByDirtyRateOverBandwidthAndSwitchoverIsWhereItFallsUnderTheThreshold() throws Exception {
        // By hand: pass 1 takes 262144 / 100000 s = 2.62144 s and leaves 25000 x 2.62144 = 65536 pages
        // (> 30000: iterate); pass 2 takes 0.65536 s and leaves 16384 (<= 30000): switchover at 2.
        try (TraceDatabase db = TraceDatabase.load(geometric(tmp, "converges", 64, 10))) {
            QueryResult c = db.query("SELECT * FROM convergence WHERE decision <> 'setup' ORDER BY iteration");
            assertThat(c.values("pending_bytes")).containsExactly(65_536 * PAGE, 16_384 * PAGE);
            for (Object rate : c.values("dirty_rate_bytes_per_s")) {
                assertThat((Double) rate).isCloseTo(25_000.0 * PAGE, within(1.0));
            }
            assertThat(c.values("downtime_limit_ms")).allSatisfy(v -> assertThat((Double) v).isCloseTo(300.0, within(1e-9)));
            assertThat(c.get(0, "passes_to_threshold")).as("from pass 1, one more pass: 65536 / 4 <= 30000").isEqualTo(1L);
            assertThat((Double) c.get(0, "expected_downtime_qemu_ms")).isCloseTo(655.36, within(1e-9));
            QueryResult v = db.query("SELECT status, converged_at, reason FROM verdict");
            assertThat(v.rows()).containsExactly(java.util.Arrays.asList("converged", 2L, null));
        }
    }

    @Test
    void dirtyRateOverWindowsIsTheConstantWriteRate() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(geometric(tmp, "rate", 64, 10))) {
            db.query("SET VARIABLE window_ns = 256000000");
            QueryResult r = db.query("SELECT pages_per_s FROM dirty_rate WHERE source = 'cpu_write'"
                    + " AND window_end_ns <= (SELECT max(ts_ns) FROM events) ORDER BY window_no");
            assertThat(r.rows()).hasSizeGreaterThan(10);
            assertThat(r.values("pages_per_s")).allSatisfy(p -> assertThat((Double) p).isCloseTo(25_000.0, within(1e-6)));
        }
    }

    @Test
    void aDirtyRateAboveTheBandwidthNeverConvergesAndTheVerdictSaysWhatWouldHelp() throws Exception {
        // 256 pages per 2.56 ms = 100,000 pages/s = B: every pass leaves what it sent; pending never shrinks.
        // Every page is dirty each pass, but because the vCPUs wrote them: not a tracking problem.
        try (TraceDatabase db = TraceDatabase.load(geometric(tmp, "stuck", 256, 6))) {
            QueryResult v = db.query("SELECT * FROM verdict");
            assertThat(v.get(0, "status")).isEqualTo("not converging");
            assertThat(v.get(0, "reason")).isEqualTo("dirty rate >= bandwidth");
            assertThat((String) v.get(0, "reasons")).contains("pending not shrinking over 3 iterations");
            assertThat((Double) v.get(0, "needed_bandwidth")).as("more than the dirty rate, and M / 0.3 s")
                    .isCloseTo(M * PAGE / 0.3, within(1.0));
            assertThat((Double) v.get(0, "needed_downtime_limit_ms")).isCloseTo(M * 1000.0 / B, within(1e-6));
        }
    }

    @Test
    void builtInScenariosGetTheVerdictTheirDescriptionPromises() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("nic-converges"))) {
            QueryResult v = db.query("SELECT status, converged_at FROM verdict");
            QueryResult last = db.query("SELECT max(iteration) FROM iterations WHERE decision = 'switchover'");
            assertThat(v.get(0, "status")).isEqualTo("converged");
            assertThat(v.get(0, "converged_at")).isEqualTo(last.rows().get(0).get(0));
            QueryResult c = db.query("SELECT device_stop_copy_bytes, expected_downtime_ms - expected_downtime_qemu_ms AS extra,"
                    + " bandwidth FROM convergence WHERE decision <> 'setup'");
            for (List<Object> row : c.rows()) {
                assertThat((Double) row.get(1)).as("our expected downtime adds the device's stop-copy bytes")
                        .isCloseTo((Long) row.get(0) * 1000.0 / (Long) row.get(2), within(1e-6));
            }
        }
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("gpu-no-converge"))) {
            QueryResult v = db.query("SELECT status, reason FROM verdict");
            assertThat(v.rows()).containsExactly(List.of("not converging", "device state larger than the downtime budget"));
        }
        try (TraceDatabase db = TraceDatabase.load(SampleTraces.of("vf-no-dirty-tracking"))) {
            QueryResult v = db.query("SELECT status, reason FROM verdict");
            assertThat(v.rows()).containsExactly(List.of("not converging", "tracking reports everything dirty"));
        }
    }
}
