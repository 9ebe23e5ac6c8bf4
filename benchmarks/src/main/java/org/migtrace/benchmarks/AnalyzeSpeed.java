package org.migtrace.benchmarks;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.duckdb.DuckDBConnection;
import org.migtrace.analysis.Analysis;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceWriter;

/**
 * Issue 6's speed target, measured in one run: {@code analyze} (load into DuckDB, the views, the
 * verdict, the iteration table, every rule) against what DuckDB needs to load the same trace and
 * count its rows (each table file through the Arrow C data interface, CREATE TABLE AS, count(*)).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar org.migtrace.benchmarks.AnalyzeSpeed DIR [EVENTS] [ROUNDS]</pre>
 *
 * Writes a synthetic trace of EVENTS events (default 10,000,000) to DIR unless one is there: a
 * pre-copy migration's mix, per 100 events 40 vCPU write batches, 30 device DMA batches, 20 reads
 * of the saving data fd, a dirty report with 8 runs, size queries and state changes, an iteration
 * every 1,000,000 events. Prints the best of ROUNDS (default 3) timings of each.
 */
public final class AnalyzeSpeed {

    private static final String DEV = "0000:3b:00.1";

    private AnalyzeSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long events = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (!Files.exists(dir.resolve("manifest.json"))) {
            long t0 = System.nanoTime();
            write(dir, events);
            System.out.printf("wrote %d events to %s in %.1f s%n", events, dir, (System.nanoTime() - t0) / 1e9);
        }
        if (args.length > 3 && args[3].equals("profile")) {
            profile(dir);
            return;
        }
        long bestLoad = Long.MAX_VALUE;
        long bestAnalyze = Long.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            long rows = loadAndCount(dir);
            long t1 = System.nanoTime();
            String verdict;
            int violations;
            try (TraceDatabase db = TraceDatabase.load(dir)) {
                Analysis a = Analysis.of(db);
                verdict = a.verdictLines().get(0);
                violations = a.violations().rows().size();
            }
            long t2 = System.nanoTime();
            bestLoad = Math.min(bestLoad, t1 - t0);
            bestAnalyze = Math.min(bestAnalyze, t2 - t1);
            System.out.printf("round %d: load+count %.2f s (%d rows), analyze %.2f s (%s; %d violations)%n", r,
                    (t1 - t0) / 1e9, rows, (t2 - t1) / 1e9, verdict, violations);
        }
        System.out.printf("best: load+count %.2f s, analyze %.2f s, ratio %.2f (target <= 2)%n", bestLoad / 1e9,
                bestAnalyze / 1e9, (double) bestAnalyze / bestLoad);
    }

    /** How long each view and each rule takes on a loaded trace: where analyze spends its time. */
    static void profile(Path dir) throws Exception {
        long t0 = System.nanoTime();
        try (TraceDatabase db = TraceDatabase.load(dir)) {
            System.out.printf("load %.2f s%n", (System.nanoTime() - t0) / 1e9);
            for (String v : TraceDatabase.viewNames()) {
                if (v.equals("working_set")) {
                    continue; // the report's, not analyze's
                }
                long t = System.nanoTime();
                db.query("SELECT count(*) FROM " + v);
                System.out.printf("view %s %.2f s%n", v, (System.nanoTime() - t) / 1e9);
            }
            long tm = System.nanoTime();
            db.materializeForAnalysis();
            System.out.printf("materialize %.2f s%n", (System.nanoTime() - tm) / 1e9);
            for (org.migtrace.analysis.Rule r : org.migtrace.analysis.Rule.catalog()) {
                long t = System.nanoTime();
                db.query("SELECT count(*) FROM (" + r.sql().replaceAll("(?m)^--.*$", "") + ")");
                System.out.printf("rule %s %.2f s%n", r.id(), (System.nanoTime() - t) / 1e9);
            }
            long t = System.nanoTime();
            Analysis.of(db);
            System.out.printf("Analysis.of %.2f s%n", (System.nanoTime() - t) / 1e9);
        }
    }

    /** The baseline: every table file into DuckDB as docs/trace-format.md shows, then count(*). */
    public static long loadAndCount(Path dir) throws Exception {
        long rows = 0;
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:");
             BufferAllocator allocator = new RootAllocator()) {
            for (String table : List.of("events", "dirty_runs", "iterations")) {
                try (FileChannel ch = FileChannel.open(dir.resolve(table + ".arrow"), StandardOpenOption.READ);
                     ArrowFileReader reader = new ArrowFileReader(ch, allocator);
                     ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                    Data.exportArrayStream(allocator, reader, stream);
                    conn.unwrap(DuckDBConnection.class).registerArrowStream(table + "_arrow", stream);
                    try (Statement s = conn.createStatement()) {
                        s.execute("CREATE TABLE " + table + " AS SELECT * FROM " + table + "_arrow");
                        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                            rs.next();
                            rows += rs.getLong(1);
                        }
                    }
                }
            }
        }
        return rows;
    }

    public static void write(Path dir, long events) throws Exception {
        Manifest m = Manifest.start(new Manifest.Source("simulated", "AnalyzeSpeed", null),
                List.of(new Manifest.HostInfo("src", null, "10.0")), 4096L, 16L << 30,
                List.of(new Manifest.DeviceInfo("src", DEV, "v2", List.of("STOP_COPY", "P2P", "PRE_COPY"), "mlx5-vf",
                        45, "type1", "dma-logging")), List.of(), null);
        try (TraceWriter w = TraceWriter.create(dir, m)) {
            long ts = 0;
            syscall(w, ts).set(EventColumn.OP, "VFIO_DEVICE_FEATURE").set(EventColumn.FEATURE, "DMA_LOGGING_START")
                    .set(EventColumn.FEATURE_OPS, "SET").set(EventColumn.PAGE_SIZE, 4096).set(EventColumn.RET, 0).commit();
            ts += 1000;
            long set = syscall(w, ts).set(EventColumn.OP, "VFIO_DEVICE_FEATURE").set(EventColumn.FEATURE, "MIG_DEVICE_STATE")
                    .set(EventColumn.FEATURE_OPS, "SET").set(EventColumn.REQUESTED_STATE, "PRE_COPY")
                    .set(EventColumn.TO_STATE, "PRE_COPY").set(EventColumn.DATA_FD, 11).set(EventColumn.RET, 0).commit();
            w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.ACTOR, "kernel")
                    .set(EventColumn.KIND, "state").set(EventColumn.OP, "DEVICE_STATE").set(EventColumn.DEVICE, DEV)
                    .set(EventColumn.FROM_STATE, "RUNNING").set(EventColumn.TO_STATE, "PRE_COPY").set(EventColumn.STATE_RAW, 6)
                    .set(EventColumn.ARGS, "{\"cause\":\"arc\",\"syscall_seq\":" + set + "}").commit();
            w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.ACTOR, "migration")
                    .set(EventColumn.KIND, "migration").set(EventColumn.OP, "SETUP").commit();
            int iteration = 0;
            long pending = 16L << 30;
            for (long n = 4; n < events; n++) {
                ts += 1000;
                int k = (int) (n % 100);
                if (n % 1_000_000 == 999_999) {
                    long seq = w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.ACTOR, "migration")
                            .set(EventColumn.KIND, "migration").set(EventColumn.OP, "ITERATION").commit();
                    pending = pending * 3 / 4;
                    w.iteration(new IterationRow(seq, ts, "src", iteration, ts, 1_000_000_000L, 30_000, 20_000, 40_000,
                            1L << 30, 1 << 20, 1_250_000_000L, pending, 40L << 20, 375_000_000L,
                            iteration == 0 ? "setup" : "iterate"));
                    iteration++;
                } else if (k < 40) {
                    long seq = w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.THREAD, "CPU 0/KVM")
                            .set(EventColumn.ACTOR, "guest_cpu").set(EventColumn.KIND, "write").set(EventColumn.OP, "CPU_WRITE")
                            .set(EventColumn.LENGTH, 8 * 4096).set(EventColumn.COUNT, 1).commit();
                    w.dirtyRun(seq, DirtySource.CPU_WRITE, 4096, (n * 7919) % 4_000_000, 8);
                } else if (k < 70) {
                    long seq = w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.ACTOR, "device_dma")
                            .set(EventColumn.KIND, "write").set(EventColumn.OP, "DMA_WRITE").set(EventColumn.DEVICE, DEV)
                            .set(EventColumn.LENGTH, 4 * 4096).set(EventColumn.COUNT, 1).commit();
                    w.dirtyRun(seq, DirtySource.DMA_WRITE, 4096, (n * 104729) % 4_000_000, 4);
                } else if (k < 90) {
                    syscall(w, ts).set(EventColumn.OP, "read").set(EventColumn.FD, 11).set(EventColumn.FD_KIND, "MIG_DATA")
                            .set(EventColumn.COUNT, 1 << 20).set(EventColumn.RET, 1 << 20).commit();
                } else if (k == 90) {
                    long seq = syscall(w, ts).set(EventColumn.OP, "VFIO_DEVICE_FEATURE").set(EventColumn.FEATURE, "DMA_LOGGING_REPORT")
                            .set(EventColumn.FEATURE_OPS, "GET").set(EventColumn.IOVA, 0).set(EventColumn.LENGTH, 16L << 30)
                            .set(EventColumn.PAGE_SIZE, 4096).set(EventColumn.RET, 0).commit();
                    for (int r = 0; r < 8; r++) {
                        w.dirtyRun(seq, DirtySource.BITMAP, 4096, r * 10_000L + n % 1000, 3);
                    }
                } else if (k == 91) {
                    syscall(w, ts).set(EventColumn.OP, "VFIO_DEVICE_FEATURE").set(EventColumn.FEATURE, "MIG_DATA_SIZE")
                            .set(EventColumn.FEATURE_OPS, "GET").set(EventColumn.STOP_COPY_LENGTH, 32L << 20)
                            .set(EventColumn.RET, 0).commit();
                } else if (k == 92) {
                    syscall(w, ts).set(EventColumn.OP, "VFIO_MIG_GET_PRECOPY_INFO").set(EventColumn.FD, 11)
                            .set(EventColumn.FD_KIND, "MIG_DATA").set(EventColumn.INITIAL_BYTES, 0)
                            .set(EventColumn.DIRTY_BYTES, 8L << 20).set(EventColumn.RET, 0).commit();
                } else {
                    syscall(w, ts).set(EventColumn.OP, "VFIO_DEVICE_FEATURE").set(EventColumn.FEATURE, "MIG_DEVICE_STATE")
                            .set(EventColumn.FEATURE_OPS, "GET").set(EventColumn.TO_STATE, "PRE_COPY")
                            .set(EventColumn.ARGS, "{\"in\":{\"argsz\":24},\"out\":{\"device_state\":6}}")
                            .set(EventColumn.RET, 0).commit();
                }
            }
            w.finish(true);
        }
    }

    private static org.migtrace.trace.EventRow syscall(TraceWriter w, long ts) {
        return w.event().set(EventColumn.TS_NS, ts).set(EventColumn.HOST, "src").set(EventColumn.PID, 4242)
                .set(EventColumn.TID, 4251).set(EventColumn.THREAD, "live_migration").set(EventColumn.ACTOR, "vmm")
                .set(EventColumn.KIND, "syscall").set(EventColumn.DEVICE, DEV).set(EventColumn.FD, 9)
                .set(EventColumn.FD_KIND, "DEVICE");
    }
}
