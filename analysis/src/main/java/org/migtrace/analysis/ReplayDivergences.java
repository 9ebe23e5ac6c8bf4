package org.migtrace.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.migtrace.replay.DivergenceColumn;
import org.migtrace.replay.DivergenceTable;
import org.migtrace.uapi.MigtraceException;

/**
 * A replay's divergence table ({@code divergences.arrow}, written by {@code migtrace replay -o OUT},
 * docs/replay.md) loaded next to a trace, or alone. The file's schema is checked against
 * {@link DivergenceColumn} before a row is read; next to a trace, every row must name a stimulus of
 * that trace (same seq, op and time), so the divergences of another trace's replay are refused
 * instead of being joined to the wrong calls.
 */
final class ReplayDivergences {

    /** The table holding the file's rows as they are; the {@code divergences} view joins it to events. */
    static final String TABLE = "replay_divergences";

    private ReplayDivergences() {
    }

    /** The divergence file {@code path} names: the file itself, or {@code divergences.arrow} in a directory. */
    static Path file(Path path) {
        return Files.isDirectory(path) ? path.resolve(DivergenceTable.FILE) : path;
    }

    /** Whether {@code dir} is a replay's output: a divergence table and no trace manifest. */
    static boolean isReplayOutput(Path dir) {
        return Files.isDirectory(dir) && !Files.exists(dir.resolve("manifest.json"))
                && Files.isRegularFile(dir.resolve(DivergenceTable.FILE));
    }

    /** Creates the divergence table with no rows: a trace analyzed without a replay. */
    static void createEmpty(Connection conn) throws SQLException {
        StringBuilder b = new StringBuilder("CREATE OR REPLACE TABLE " + TABLE + " (");
        for (DivergenceColumn c : DivergenceColumn.values()) {
            b.append(c.ordinal() == 0 ? "" : ", ").append(c.columnName())
                    .append(c.type().equals("int64") ? " BIGINT" : " VARCHAR");
        }
        try (Statement s = conn.createStatement()) {
            s.execute(b.append(')').toString());
        }
    }

    /** Loads {@code file} into {@code table} (replacing what it held), after checking its schema. */
    static void load(Connection conn, Path file, String table) throws MigtraceException, IOException, SQLException {
        if (!Files.isRegularFile(file)) {
            throw MigtraceException.badInput(file.toString(), 0, "no such divergence table (migtrace replay TRACE -o OUT"
                    + " writes OUT/" + DivergenceTable.FILE + ")");
        }
        checkMagic(file);
        try (BufferAllocator allocator = new RootAllocator();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
             ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            Schema schema;
            try {
                schema = reader.getVectorSchemaRoot().getSchema();
            } catch (IOException | RuntimeException e) {
                throw MigtraceException.badInput(file.toString(), 0, "not a readable Arrow IPC file: " + e.getMessage());
            }
            checkSchema(file, schema);
            TraceDatabase.createTable(conn, table, reader, allocator);
        }
    }

    private static void checkMagic(Path file) throws IOException, MigtraceException {
        byte[] magic = new byte[6];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(magic, 0, magic.length);
        }
        if (n < magic.length || !new String(magic, StandardCharsets.US_ASCII).equals("ARROW1")) {
            throw MigtraceException.badInput(file.toString(), 0, "not an Arrow IPC file (no ARROW1 magic at offset 0)");
        }
    }

    private static void checkSchema(Path file, Schema schema) throws MigtraceException {
        for (DivergenceColumn c : DivergenceColumn.values()) {
            Field f = schema.getFields().stream().filter(x -> x.getName().equals(c.columnName())).findFirst()
                    .orElseThrow(() -> MigtraceException.badInput(file.toString(), 0, "no column " + c.columnName()
                            + ": not a divergence table of migtrace replay (columns: docs/replay.md)"));
            boolean int64 = f.getType() instanceof ArrowType.Int i && i.getBitWidth() == 64 && i.getIsSigned();
            boolean utf8 = f.getType() instanceof ArrowType.Utf8;
            if (c.type().equals("int64") ? !int64 : !utf8) {
                throw MigtraceException.badInput(file.toString(), 0, "column " + c.columnName() + " is " + f.getType()
                        + ", expected " + c.type());
            }
        }
    }

    /**
     * The first row of the loaded divergences that names no stimulus of the loaded trace, described
     * for an error message; empty when every row matches its event.
     */
    static Optional<String> mismatch(Connection conn) throws SQLException {
        try (Statement s = conn.createStatement();
             ResultSet rs = s.executeQuery("SELECT r.rowid + 1, r.seq, r.op, r.ts_ns, e.op, e.ts_ns FROM " + TABLE
                     + " r LEFT JOIN events e ON e.seq = r.seq"
                     + " WHERE e.seq IS NULL OR e.op IS DISTINCT FROM r.op OR e.ts_ns IS DISTINCT FROM r.ts_ns"
                     + " ORDER BY r.rowid LIMIT 1")) {
            if (!rs.next()) {
                return Optional.empty();
            }
            String row = "row " + rs.getLong(1) + " (seq " + rs.getLong(2) + ", " + rs.getString(3) + " at "
                    + rs.getLong(4) + " ns)";
            String event = rs.getString(5) == null ? "the trace has no event with that seq"
                    : "the trace's event " + rs.getLong(2) + " is " + rs.getString(5) + " at " + rs.getLong(6) + " ns";
            return Optional.of(row + " does not match the trace: " + event + "; is it the replay of another trace?");
        }
    }
}
