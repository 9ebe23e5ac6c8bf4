package org.migtrace.trace;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.compression.CommonsCompressionFactory;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.migtrace.trace.internal.ManifestIo;

/**
 * Writes trace files with plain Arrow, bypassing the writer's checks, so that tests can make traces
 * the writer would refuse (rows out of order, dangling references, extra or missing columns).
 */
public final class RawTraceFiles {

    private RawTraceFiles() {
    }

    /** Writes {@code rows} (values by field name order of {@code schema}; Long, Integer, String, raw text bytes or null). */
    static void write(Path file, Schema schema, List<Object[]> rows) throws IOException {
        write(file, schema, rows, root -> { });
    }

    /** As {@link #write(Path, Schema, List)}, with {@code tamper} run on the filled batch before it is written. */
    static void write(Path file, Schema schema, List<Object[]> rows, java.util.function.Consumer<VectorSchemaRoot> tamper)
            throws IOException {
        write(file, schema, rows, tamper, CompressionUtil.CodecType.NO_COMPRESSION);
    }

    /** As {@link #write(Path, Schema, List)}, the batch's buffers compressed with {@code codec}. */
    static void write(Path file, Schema schema, List<Object[]> rows, CompressionUtil.CodecType codec) throws IOException {
        write(file, schema, rows, root -> { }, codec);
    }

    private static void write(Path file, Schema schema, List<Object[]> rows,
                              java.util.function.Consumer<VectorSchemaRoot> tamper, CompressionUtil.CodecType codec)
            throws IOException {
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
             FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             ArrowFileWriter w = new ArrowFileWriter(root, null, ch, null, IpcOption.DEFAULT,
                     codec == CompressionUtil.CodecType.NO_COMPRESSION ? NoCompressionCodec.Factory.INSTANCE
                             : CommonsCompressionFactory.INSTANCE, codec)) {
            w.start();
            root.allocateNew();
            for (int r = 0; r < rows.size(); r++) {
                Object[] row = rows.get(r);
                for (int c = 0; c < row.length; c++) {
                    FieldVector v = root.getVector(c);
                    Object value = row[c];
                    if (value == null) {
                        continue;
                    }
                    if (v instanceof BigIntVector b) {
                        b.setSafe(r, ((Number) value).longValue());
                    } else if (v instanceof IntVector i) {
                        i.setSafe(r, ((Number) value).intValue());
                    } else if (value instanceof byte[] raw) {
                        ((VarCharVector) v).setSafe(r, raw); // bytes a writer would not write (not UTF-8)
                    } else {
                        ((VarCharVector) v).setSafe(r, ((String) value).getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            root.setRowCount(rows.size());
            tamper.accept(root);
            w.writeBatch();
            w.end();
        }
    }

    /**
     * Writes {@code runs} as a format 1.0 {@code dirty_runs} file: the columns before {@code bits},
     * which 1.x did not have (so the runs must be runs, not words).
     */
    public static void writeVersion1Runs(Path file, List<RecordedDirtyRun> runs) throws IOException {
        List<Field> v1 = schema(Table.DIRTY_RUNS).getFields().subList(0, DirtyRunColumn.BITS.ordinal());
        write(file, new Schema(v1), runs.stream().map(r -> java.util.Arrays.copyOf(run(r), v1.size())).toList());
    }

    /** The table's documented schema. */
    static Schema schema(Table table) {
        return org.migtrace.trace.internal.Schemas.of(table);
    }

    /** The schema plus a column {@code name} of type int64 at the end. */
    static Schema withExtraColumn(Table table, String name) {
        List<Field> fields = new ArrayList<>(schema(table).getFields());
        fields.add(Field.nullable(name, new org.apache.arrow.vector.types.pojo.ArrowType.Int(64, true)));
        return new Schema(fields);
    }

    static Object[] event(RecordedEvent e) {
        Object[] out = new Object[EventColumn.values().length];
        for (EventColumn c : EventColumn.values()) {
            out[c.ordinal()] = e.get(c);
        }
        return out;
    }

    static Object[] run(RecordedDirtyRun r) {
        return new Object[] {r.eventSeq(), r.source(), r.pageSize(), r.firstPage(), r.pageCount(),
            r.isWord() ? r.bits() : null};
    }

    static Object[] iteration(IterationRow r) {
        return new Object[] {r.seq(), r.tsNs(), r.host(), r.iteration(), r.timeNs(), r.durationNs(), r.dirtyPagesCpu(),
            r.dirtyPagesDevice(), r.newDirtyPages(), r.bytesSent(), r.deviceBytesSent(), r.bandwidth(), r.pendingBytes(),
            r.devicePendingBytes(), r.thresholdBytes(), r.decision()};
    }

    /** A complete trace from rows, with a final manifest whose counts and checksums match the files. */
    static void trace(Path dir, List<RecordedEvent> events, List<RecordedDirtyRun> runs, List<IterationRow> iterations)
            throws Exception {
        java.nio.file.Files.createDirectories(dir);
        write(dir.resolve(Table.EVENTS.file()), schema(Table.EVENTS), events.stream().map(RawTraceFiles::event).toList());
        write(dir.resolve(Table.DIRTY_RUNS.file()), schema(Table.DIRTY_RUNS), runs.stream().map(RawTraceFiles::run).toList());
        write(dir.resolve(Table.ITERATIONS.file()), schema(Table.ITERATIONS),
                iterations.stream().map(RawTraceFiles::iteration).toList());
        finalManifest(dir, List.of((long) events.size(), (long) runs.size(), (long) iterations.size()));
    }

    /** Writes the final manifest for the files in {@code dir} with these row counts. */
    static void finalManifest(Path dir, List<Long> rows) throws IOException {
        List<Manifest.TableInfo> tables = new ArrayList<>();
        for (Table t : Table.values()) {
            tables.add(new Manifest.TableInfo(t.tableName(), t.file(), rows.get(t.ordinal()), null,
                    FileChecksum.CRC32C.of(dir.resolve(t.file()))));
        }
        ManifestIo.write(dir, SampleTrace.startManifest().finished(tables, 0, true, null, null));
    }
}
