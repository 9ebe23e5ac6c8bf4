package org.migtrace.benchmarks;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.migtrace.cli.JvmFlags;
import org.migtrace.recorder.Dirs;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code migtrace import bpftrace} against DuckDB's own reading of the same file, side by side in
 * one run:
 *
 * <ul>
 *   <li>{@code migtraceImport}: the file into a trace directory ({@code BpftraceImport.toTrace}: the
 *       envelope, the script's payloads, the entry-order reorder buffer, struct decoding of every
 *       call, dirty bitmaps into runs, the Arrow files, checksums and the manifest);</li>
 *   <li>{@code duckdbReadNdjsonFromJson}: {@code read_ndjson} of the envelope and {@code from_json}
 *       of every payload into typed columns (what the script prints, by name), materialized as a
 *       table in an embedded in-memory DuckDB opened once at setup, with its default threads.</li>
 * </ul>
 * The file is {@link Captures#repeated a long migration's capture} ({@code nic-converges}' source VMM
 * as the capture script prints it, repeated). docs/performance.md has the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", JvmFlags.COLLECTOR, "-Xmx1g"})
public class BpftraceImportBenchmark {

    /** Every key the capture script prints, with DuckDB types (u64 addresses unsigned). */
    static final String PAYLOAD_STRUCTURE = "{\"migtrace\":\"VARCHAR\",\"script\":\"BIGINT\",\"bitmap_cap\":\"BIGINT\","
            + "\"ts_ns\":\"BIGINT\",\"t1\":\"BIGINT\",\"pid\":\"BIGINT\",\"tid\":\"BIGINT\",\"thread\":\"VARCHAR\","
            + "\"op\":\"VARCHAR\",\"fd\":\"BIGINT\",\"k\":\"BIGINT\",\"cmd\":\"BIGINT\",\"arg\":\"UBIGINT\","
            + "\"ret\":\"BIGINT\",\"in\":\"VARCHAR\",\"out\":\"VARCHAR\",\"object\":\"VARCHAR\",\"count\":\"BIGINT\","
            + "\"offset\":\"BIGINT\",\"bitmap\":\"UBIGINT\",\"bitmap_bytes\":\"BIGINT\",\"bitmap_captured\":\"BIGINT\","
            + "\"mem\":\"UBIGINT\",\"w\":\"VARCHAR\"}";

    /** The capture's printf lines (plus three: attached_probes, the script's start and end lines). */
    @Param({"1000000"})
    public long lines;

    private Path dir;
    private Path capture;
    private Path trace;
    private Connection duckdb;
    private String duckdbSql;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("migtrace-bench-import");
        capture = dir.resolve("capture.json");
        long written;
        try (OutputStream out = Files.newOutputStream(capture)) {
            written = Captures.repeated("nic-converges").write(out, lines);
        }
        duckdb = DriverManager.getConnection("jdbc:duckdb:");
        duckdbSql = "CREATE OR REPLACE TABLE capture AS SELECT type, unnest(from_json(data, '" + PAYLOAD_STRUCTURE
                + "')) FROM read_ndjson('" + capture + "', columns = {type: 'VARCHAR', data: 'VARCHAR'})";
        long rows = duckdbReadNdjsonFromJson();
        BpftraceReport report = migtraceImport();
        System.out.printf("%n%s: %d lines, %.1f MiB; migtrace %d events rows; duckdb %d rows%n", capture.getFileName(),
                written, Files.size(capture) / 1048576.0, report.rows(), rows);
        if (rows != written || report.lines() != written || !report.complete() || report.orphanBlocks() != 0) {
            throw new IllegalStateException("duckdb read " + rows + ", migtrace " + report.lines() + " of " + written);
        }
    }

    @TearDown(Level.Invocation)
    public void removeTrace() throws Exception {
        Dirs.delete(trace);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        duckdb.close();
        Dirs.delete(dir);
    }

    @Benchmark
    public BpftraceReport migtraceImport() throws Exception {
        Dirs.delete(trace);
        trace = dir.resolve("trace");
        return BpftraceImport.toTrace(InputSource.file(capture), trace,
                BpftraceImport.manifest(null, "benchmark", List.of()), BpftraceImport.Options.defaults().host("src"));
    }

    @Benchmark
    public long duckdbReadNdjsonFromJson() throws Exception {
        try (Statement st = duckdb.createStatement()) {
            st.execute(duckdbSql);
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM capture")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
