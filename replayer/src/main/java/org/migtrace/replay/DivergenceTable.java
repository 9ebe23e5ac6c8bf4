package org.migtrace.replay;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Writes the divergences as {@code divergences.arrow}: an Arrow IPC file with plain {@code Int64}
 * and {@code Utf8} columns ({@link DivergenceColumn}), as the trace's own tables are, so DuckDB and
 * pyarrow open it next to the trace. Batches of a fixed size and no metadata that varies: the same
 * divergences give the same bytes.
 */
public final class DivergenceTable {
    public static final String FILE = "divergences.arrow";
    static final int BATCH_ROWS = 65_536;

    private DivergenceTable() {
    }

    public static Schema schema() {
        List<Field> fields = new ArrayList<>();
        for (DivergenceColumn c : DivergenceColumn.values()) {
            ArrowType type = c.type().equals("int64") ? new ArrowType.Int(64, true) : ArrowType.Utf8.INSTANCE;
            boolean nullable = c != DivergenceColumn.SEQ && c != DivergenceColumn.TS_NS && c != DivergenceColumn.FIELD;
            fields.add(new Field(c.columnName(), new FieldType(nullable, type, null), null));
        }
        return new Schema(fields);
    }

    /** Writes {@code divergences} to {@code dir/divergences.arrow} (through a temporary file renamed over it). */
    public static Path write(Path dir, List<Divergence> divergences) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try (BufferAllocator allocator = new RootAllocator();
             VectorSchemaRoot root = VectorSchemaRoot.create(schema(), allocator);
             FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
            writer.start();
            int from = 0;
            do {
                int n = Math.min(BATCH_ROWS, divergences.size() - from);
                fill(root, divergences.subList(from, from + n));
                writer.writeBatch();
                from += n;
            } while (from < divergences.size());
            writer.end();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void fill(VectorSchemaRoot root, List<Divergence> rows) {
        for (FieldVector v : root.getFieldVectors()) {
            v.allocateNew();
        }
        List<FieldVector> v = root.getFieldVectors();
        for (int i = 0; i < rows.size(); i++) {
            Divergence d = rows.get(i);
            ((BigIntVector) v.get(0)).setSafe(i, d.seq());
            ((BigIntVector) v.get(1)).setSafe(i, d.tsNs());
            text(v.get(2), i, d.host());
            text(v.get(3), i, d.op());
            text(v.get(4), i, d.object());
            text(v.get(5), i, d.detail());
            text(v.get(6), i, d.field());
            text(v.get(7), i, d.expected());
            text(v.get(8), i, d.actual());
            text(v.get(9), i, d.note());
        }
        root.setRowCount(rows.size());
    }

    private static void text(FieldVector v, int i, String s) {
        if (s == null) {
            ((VarCharVector) v).setNull(i);
        } else {
            ((VarCharVector) v).setSafe(i, s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
