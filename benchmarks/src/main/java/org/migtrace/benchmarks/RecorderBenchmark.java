package org.migtrace.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.migtrace.cli.JvmFlags;
import org.migtrace.recorder.Dirs;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.run.Simulation;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.Column;
import org.migtrace.trace.ColumnType;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.Table;
import org.migtrace.trace.TraceFormat;
import org.migtrace.trace.internal.Schemas;
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
 * What recording costs, against writing the same rows with raw Arrow vectors, in one run.
 *
 * <ul>
 *   <li>{@code simulateOnly}: the scenario's migration with no observer;</li>
 *   <li>{@code simulateAndRecord}: the same migration recorded into a trace directory
 *       ({@code Recording.to}: struct decoding, bitmap scans, the trace writer, checksums, the
 *       final manifest);</li>
 *   <li>{@code rawArrowSameRows}: the rows that recording produced (read back once at setup and
 *       laid out as primitive columns and UTF-8 bytes), written into {@code VectorSchemaRoot}s and
 *       {@code ArrowFileWriter}s by hand, in batches of the same size, compressed as the format's
 *       (ZSTD at {@link TraceFormat#ZSTD_LEVEL}), with nothing else.</li>
 * </ul>
 * The recorder's rate is rows / (simulateAndRecord - simulateOnly); the raw rate is rows /
 * rawArrowSameRows. docs/performance.md has the figures.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "--add-opens=java.base/java.nio=ALL-UNNAMED", JvmFlags.COLLECTOR})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class RecorderBenchmark {
    static final int BATCH = 8192;

    /** The scenario, a scratch directory, and the recorded rows as columns. */
    @State(Scope.Benchmark)
    public static class Rows {
        /** A built-in scenario: {@code nic-converges} for the figures; the CI smoke run takes a smaller one. */
        @Param({"nic-converges"})
        public String scenario;

        Scenario migration;
        Path scratch;
        int next;
        final List<Object[]> events = new ArrayList<>();
        final List<Object[]> runs = new ArrayList<>();
        final List<Object[]> iterations = new ArrayList<>();
        long rows;

        @Setup(Level.Trial)
        public void setup() throws Exception {
            migration = ScenarioLoader.builtIn(scenario);
            scratch = Files.createTempDirectory("migtrace-bench");
            Path once = scratch.resolve("once");
            Recording.of(migration).to(once);
            try (RecordedTrace trace = RecordedTrace.open(once)) {
                while (trace.hasMoreEvents()) {
                    RecordedEvent e = trace.readEvent();
                    Object[] row = new Object[Table.EVENTS.columns().size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = cell(e.get((EventColumn) Table.EVENTS.columns().get(i)));
                    }
                    events.add(row);
                }
                var cursor = trace.dirtyRuns();
                while (cursor.hasNext()) {
                    RecordedDirtyRun r = cursor.next();
                    runs.add(new Object[] {r.eventSeq(), cell(r.source()), r.pageSize(), r.firstPage(), r.pageCount(), r.isWord() ? r.bits() : null});
                }
                var its = trace.iterations();
                while (its.hasNext()) {
                    var it = its.next();
                    iterations.add(new Object[] {it.seq(), it.tsNs(), cell(it.host()), it.iteration(), it.timeNs(),
                        it.durationNs(), it.dirtyPagesCpu(), it.dirtyPagesDevice(), it.newDirtyPages(), it.bytesSent(),
                        it.deviceBytesSent(), it.bandwidth(), it.pendingBytes(), it.devicePendingBytes(),
                        it.thresholdBytes(), cell(it.decision())});
                }
            }
            // nic-converges with its own seed: 358,118 rows (3,302 events, 354,812 dirty_runs rows, 4 iterations);
            // v1-legacy 83,542
            rows = events.size() + runs.size() + iterations.size();
        }

        /** Strings as the UTF-8 bytes a raw writer would hold; numbers as they are. */
        private static Object cell(Object v) {
            return v instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : v;
        }

        Path fresh() {
            return scratch.resolve("run-" + (next++));
        }

        @TearDown(Level.Iteration)
        public void clean() throws IOException {
            try (Stream<Path> all = Files.list(scratch)) {
                for (Path p : all.filter(p -> !p.getFileName().toString().equals("once")).toList()) {
                    Dirs.delete(p);
                }
            }
        }

        @TearDown(Level.Trial)
        public void cleanAll() throws IOException {
            Dirs.delete(scratch);
        }
    }

    @Benchmark
    public Object simulateOnly(Rows r) {
        return Simulation.of(r.migration).run();
    }

    @Benchmark
    public Object simulateAndRecord(Rows r) throws IOException {
        return Recording.of(r.migration).to(r.fresh());
    }

    @Benchmark
    public long rawArrowSameRows(Rows r) throws IOException {
        Path dir = Files.createDirectories(r.fresh());
        try (BufferAllocator allocator = new RootAllocator()) {
            write(allocator, dir.resolve(Table.EVENTS.file()), Table.EVENTS, r.events);
            write(allocator, dir.resolve(Table.DIRTY_RUNS.file()), Table.DIRTY_RUNS, r.runs);
            write(allocator, dir.resolve(Table.ITERATIONS.file()), Table.ITERATIONS, r.iterations);
        }
        return r.rows;
    }

    /** Rows into a root, a batch every {@link #BATCH} rows, straight into the file. */
    private static void write(BufferAllocator allocator, Path file, Table table, List<Object[]> rows) throws IOException {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(Schemas.of(table), allocator);
             var channel = Files.newByteChannel(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                     java.nio.file.StandardOpenOption.WRITE);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, channel, null, IpcOption.DEFAULT,
                     CommonsCompressionFactory.INSTANCE, CompressionUtil.CodecType.ZSTD,
                     Optional.of(TraceFormat.ZSTD_LEVEL))) {
            writer.start();
            List<Column> columns = table.columns();
            FieldVector[] vectors = root.getFieldVectors().toArray(new FieldVector[0]);
            int n = 0;
            for (Object[] row : rows) {
                if (n == 0) {
                    for (FieldVector v : vectors) {
                        v.allocateNew();
                    }
                }
                for (int c = 0; c < vectors.length; c++) {
                    set(vectors[c], columns.get(c).type(), n, row[c]);
                }
                if (++n == BATCH) {
                    flush(root, vectors, n, writer);
                    n = 0;
                }
            }
            if (n > 0) {
                flush(root, vectors, n, writer);
            }
            writer.end();
        }
    }

    private static void set(FieldVector v, ColumnType type, int i, Object value) {
        if (value == null) {
            if (v instanceof BaseFixedWidthVector f) {
                f.setNull(i);
            } else {
                ((VarCharVector) v).setNull(i);
            }
            return;
        }
        switch (type) {
            case INT64 -> ((BigIntVector) v).setSafe(i, ((Number) value).longValue());
            case INT32 -> ((IntVector) v).setSafe(i, ((Number) value).intValue());
            case UTF8 -> ((VarCharVector) v).setSafe(i, (byte[]) value);
        }
    }

    private static void flush(VectorSchemaRoot root, FieldVector[] vectors, int n, ArrowFileWriter writer)
            throws IOException {
        for (FieldVector v : vectors) {
            v.setValueCount(n);
        }
        root.setRowCount(n);
        writer.writeBatch();
    }
}
