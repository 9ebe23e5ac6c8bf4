package org.migtrace.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.analysis.HandTrace.DEV;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dirty rates per window and device, per range, and the working set, on a trace counted by hand. */
class DirtyRateTest {

    @TempDir
    Path tmp;

    static long cpuWrite(HandTrace t, long ts, long first, long count) {
        return t.event("\"ts_ns\": " + ts + ", \"host\": \"src\", \"actor\": \"guest_cpu\", \"kind\": \"write\", \"op\": \"CPU_WRITE\","
                + " \"length\": " + count * 4096 + ", \"count\": 1, \"dirty_runs\": [{\"source\": \"cpu_write\", \"page_size\": 4096,"
                + " \"first_page\": " + first + ", \"page_count\": " + count + "}]");
    }

    /** vCPUs write pages 0-9 and 5-14 in the first 100 ms and page 100 in the second; the device 4 pages. */
    Path trace() throws Exception {
        HandTrace t = HandTrace.v2("");
        cpuWrite(t, 10_000_000, 0, 10);
        cpuWrite(t, 20_000_000, 5, 10);
        t.dmaWrite(30_000_000, DEV, 1 << 20, 4);
        cpuWrite(t, 150_000_000, 100, 1);
        return t.write(tmp, "rates");
    }

    @Test
    void ratesArePerWindowAndWriterAndLabelledWithTheirWindow() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(trace())) {
            QueryResult r = db.query("SELECT source, device, window_no, window_start_ns, window_end_ns, pages, pages_per_s"
                    + " FROM dirty_rate ORDER BY window_no, source");
            assertThat(r.rows()).containsExactly(
                    java.util.Arrays.asList("cpu_write", null, 0L, 0L, 100_000_000L, 20L, 200.0),
                    List.of("dma_write", DEV, 0L, 0L, 100_000_000L, 4L, 40.0),
                    java.util.Arrays.asList("cpu_write", null, 1L, 100_000_000L, 200_000_000L, 1L, 10.0));
        }
    }

    static Object nullString() {
        return null;
    }

    @Test
    void rangesSplitByAddressAndTheWorkingSetMergesOverlaps() throws Exception {
        try (TraceDatabase db = TraceDatabase.load(trace())) {
            db.query("SET VARIABLE range_bytes = " + 64 * 4096);
            QueryResult ranges = db.query("SELECT source, range_start, pages FROM dirty_ranges ORDER BY source, range_start");
            assertThat(ranges.rows()).containsExactly(
                    List.of("cpu_write", 0L, 20L), List.of("cpu_write", 64L * 4096, 1L),
                    List.of("dma_write", (long) (1 << 20) * 4096, 4L));
            QueryResult ws = db.query("SELECT source, pages, writes_pages FROM working_set WHERE phase = 'trace' ORDER BY source");
            assertThat(ws.rows()).containsExactly(List.of("cpu_write", 16L, 21L), List.of("dma_write", 4L, 4L));
        }
    }
}
