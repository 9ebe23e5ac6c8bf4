package org.migtrace.analysis;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.duckdb.DuckDBConnection;
import org.migtrace.trace.BatchCodecs;
import org.migtrace.trace.Column;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.Table;
import org.migtrace.trace.TableStatus;
import org.migtrace.trace.TraceFormat;
import org.migtrace.trace.WorkProgress;
import org.migtrace.uapi.MigtraceException;

/**
 * A trace loaded into embedded DuckDB, with the documented views ({@link View}) on top.
 *
 * <p>Each table file is handed to DuckDB through the Arrow C data interface and materialized once
 * ({@code CREATE TABLE ... AS}), so queries never go back to the files. A capture cut short (a file
 * without footer) is read as an IPC stream up to its last complete batch, the part
 * {@link RecordedTrace} vouches for. With a database file the tables persist: a second open of the
 * same file for the same trace (same manifest) reuses them instead of loading again.
 */
public final class TraceDatabase implements AutoCloseable {

    /** The table holding what was loaded, so a persistent file knows whether it is current. */
    private static final String LOADED = "migtrace_loaded";

    /** The steps of a load, as its progress counts them: each table, the views, the replay's divergences. */
    public static final int LOAD_STEPS = Table.values().length + 2;

    private final Connection conn;
    private final Path trace;
    private final Path replay;
    private final boolean hasTrace;

    private TraceDatabase(Connection conn, Path trace, Path replay, boolean hasTrace) {
        this.conn = conn;
        this.trace = trace;
        this.replay = replay;
        this.hasTrace = hasTrace;
    }

    /** Loads {@code trace} into an in-memory database. */
    public static TraceDatabase load(Path trace) throws MigtraceException, IOException {
        return load(trace, null);
    }

    /**
     * Loads {@code trace} into {@code dbFile} (kept after close), or in memory when it is null. A
     * file already holding this trace (same directory and manifest) is reused as it is. A
     * {@code divergences.arrow} in the trace's directory is loaded with it ({@link #load(Path, Path, Path)}).
     */
    public static TraceDatabase load(Path trace, Path dbFile) throws MigtraceException, IOException {
        return load(trace, dbFile, null);
    }

    /**
     * Loads {@code trace} with a replay's divergences: {@code replay} is the replay's output
     * directory (or its {@code divergences.arrow}); when null, the trace directory's own
     * {@code divergences.arrow} if it has one. The {@code divergences} view joins them to the trace's
     * events; a divergence table whose rows are not this trace's stimuli is refused (bad input).
     * {@code trace} may also be a replay's output directory alone (a divergence table, no
     * manifest): then the database holds the {@code divergences} table and nothing else.
     */
    public static TraceDatabase load(Path trace, Path dbFile, Path replay) throws MigtraceException, IOException {
        return load(trace, dbFile, replay, WorkProgress.NONE);
    }

    /**
     * As {@link #load(Path, Path, Path)}, telling {@code progress} the steps done of {@link #LOAD_STEPS}:
     * each table loaded, the views created, the replay attached (a database file that already holds the
     * trace skips to the end).
     */
    public static TraceDatabase load(Path trace, Path dbFile, Path replay, WorkProgress progress)
            throws MigtraceException, IOException {
        if (replay == null && ReplayDivergences.isReplayOutput(trace)) {
            return loadReplayOutput(trace, dbFile);
        }
        Path divergences = replay != null ? ReplayDivergences.file(replay)
                : Files.isRegularFile(ReplayDivergences.file(trace)) ? ReplayDivergences.file(trace) : null;
        progress.done(0, LOAD_STEPS);
        try (RecordedTrace recorded = RecordedTrace.open(trace)) {
            String fingerprint = Files.readString(trace.resolve("manifest.json"));
            Connection conn = connect(dbFile);
            try {
                TraceDatabase db = new TraceDatabase(conn, trace, divergences, true);
                if (!db.holds(fingerprint)) {
                    db.materialize(recorded, fingerprint, progress);
                }
                progress.done(LOAD_STEPS - 1, LOAD_STEPS);
                db.attachReplay();
                progress.done(LOAD_STEPS, LOAD_STEPS);
                return db;
            } catch (SQLException | RuntimeException e) {
                closeQuietly(conn);
                throw internal("loading " + trace + " into DuckDB failed: " + e.getMessage(), e);
            } catch (MigtraceException | IOException e) {
                closeQuietly(conn);
                throw e;
            }
        }
    }

    /** A replay's output without its trace: its divergence table as the table {@code divergences}. */
    private static TraceDatabase loadReplayOutput(Path dir, Path dbFile) throws MigtraceException, IOException {
        Path file = ReplayDivergences.file(dir);
        Connection conn = connect(dbFile);
        try {
            TraceDatabase db = new TraceDatabase(conn, dir, file, false);
            db.drop(View.DIVERGENCES.viewName());
            ReplayDivergences.load(conn, file, View.DIVERGENCES.viewName());
            return db;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(conn);
            throw internal("loading " + file + " into DuckDB failed: " + e.getMessage(), e);
        } catch (MigtraceException | IOException e) {
            closeQuietly(conn);
            throw e;
        }
    }

    /**
     * Fills the divergence table from {@link #replay} (no rows without one): done on every load, a
     * kept database included, so the divergences are always those of the replay given now.
     */
    private void attachReplay() throws SQLException, MigtraceException, IOException {
        if (replay == null) {
            ReplayDivergences.createEmpty(conn);
            return;
        }
        ReplayDivergences.load(conn, replay, ReplayDivergences.TABLE);
        Optional<String> mismatch = ReplayDivergences.mismatch(conn);
        if (mismatch.isPresent()) {
            throw MigtraceException.badInput(replay.toString(), 0, mismatch.get() + " (trace " + trace + ")");
        }
    }

    private static Connection connect(Path dbFile) throws MigtraceException {
        try {
            return DriverManager.getConnection(dbFile == null ? "jdbc:duckdb:" : "jdbc:duckdb:" + dbFile,
                    new Properties());
        } catch (SQLException e) {
            throw MigtraceException.badInput(String.valueOf(dbFile), 0, "cannot open the DuckDB file: "
                    + e.getMessage());
        }
    }

    private boolean holds(String fingerprint) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?")) {
            ps.setString(1, LOADED);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = conn.prepareStatement("SELECT count(*) FROM " + LOADED
                + " WHERE manifest = ? AND views = ?")) {
            ps.setString(1, fingerprint);
            ps.setString(2, View.fingerprint());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) == 1;
            }
        }
    }

    private void materialize(RecordedTrace recorded, String fingerprint, WorkProgress progress)
            throws SQLException, IOException, MigtraceException {
        int step = 0;
        for (View v : View.reversed()) {
            drop(v.viewName());
        }
        try (Statement s = conn.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + LOADED);
        }
        try (BufferAllocator allocator = new RootAllocator();
             BatchCodecs codecs = TraceFormat.readerCodecs()) {
            for (Table t : Table.values()) {
                loadTable(recorded.table(t), t, allocator, codecs);
                progress.done(++step, LOAD_STEPS);
            }
        }
        TraceFacts.write(conn, recorded.manifest());
        ReplayDivergences.createEmpty(conn);
        for (View v : View.values()) {
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE OR REPLACE VIEW " + v.viewName() + " AS " + v.sql());
            } catch (SQLException e) {
                throw internal("view " + v.viewName() + " (" + v.resource() + ") does not compile: "
                        + e.getMessage(), e);
            }
        }
        try (Statement s = conn.createStatement()) {
            s.execute("CREATE TABLE " + LOADED + " (manifest VARCHAR, views VARCHAR)");
        }
        try (PreparedStatement ps = conn.prepareStatement("INSERT INTO " + LOADED + " VALUES (?, ?)")) {
            ps.setString(1, fingerprint);
            ps.setString(2, View.fingerprint());
            ps.execute();
        }
    }

    /** Drops the view or table {@code name}, whichever it is, if it exists. */
    private void drop(String name) throws SQLException {
        String type = objectType(name);
        if (type != null) {
            try (Statement s = conn.createStatement()) {
                s.execute("DROP " + (type.equals("VIEW") ? "VIEW " : "TABLE ") + name);
            }
        }
    }

    /** VIEW, BASE TABLE, or null when there is no such object. */
    private String objectType(String name) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT table_type FROM information_schema.tables WHERE table_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Turns the views an analysis reads many times into tables of the same name (the views that
     * read them bind by name, so they read the tables from then on). Done once: a persistent
     * database keeps the tables.
     */
    public void materializeForAnalysis() throws MigtraceException {
        try {
            for (View v : View.values()) {
                if (v.materializedForAnalysis() && "VIEW".equals(objectType(v.viewName()))) {
                    try (Statement s = conn.createStatement()) {
                        s.execute("CREATE OR REPLACE TABLE " + v.viewName() + "__m AS SELECT * FROM " + v.viewName());
                        s.execute("DROP VIEW " + v.viewName());
                        s.execute("ALTER TABLE " + v.viewName() + "__m RENAME TO " + v.viewName());
                    }
                }
            }
        } catch (SQLException e) {
            throw internal("materializing the analysis views failed: " + e.getMessage(), e);
        }
    }

    /** One table file into one DuckDB table of the same name, with every documented column. */
    private void loadTable(TableStatus status, Table t, BufferAllocator allocator, BatchCodecs codecs)
            throws SQLException, IOException {
        String name = t.tableName();
        try (FileChannel ch = FileChannel.open(status.file(), StandardOpenOption.READ);
             ArrowReader reader = reader(status, ch, allocator, codecs)) {
            createTable(conn, name, reader, allocator);
        }
        addMissingColumns(t);
    }

    /**
     * Creates (or replaces) table {@code name} with every batch {@code reader} gives, handed to
     * DuckDB through the Arrow C data interface.
     */
    static void createTable(Connection conn, String name, ArrowReader reader, BufferAllocator allocator)
            throws SQLException {
        String staging = name + "_arrow";
        try (ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            Data.exportArrayStream(allocator, reader, stream);
            conn.unwrap(DuckDBConnection.class).registerArrowStream(staging, stream);
            try (Statement s = conn.createStatement()) {
                s.execute("CREATE OR REPLACE TABLE " + name + " AS SELECT * FROM " + staging);
            }
        }
    }

    /**
     * A finished file is read whole; an unfinished one from after its 8-byte magic up to its intact
     * end, so the stream reader meets end of input where the last complete batch ends.
     */
    private static ArrowReader reader(TableStatus status, FileChannel ch, BufferAllocator allocator, BatchCodecs codecs)
            throws IOException {
        if (status.finished()) {
            return new ArrowFileReader(ch, allocator, codecs);
        }
        ch.position(8);
        InputStream intact = new FilterInputStream(Channels.newInputStream(ch)) {
            private long left = status.intactBytes() - 8;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buf, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
        return new ArrowStreamReader(intact, allocator, codecs);
    }

    /** Nullable columns an older file lacks read as null (docs/trace-format.md, Versions). */
    private void addMissingColumns(Table t) throws SQLException {
        TreeSet<String> present = new TreeSet<>();
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?")) {
            ps.setString(1, t.tableName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    present.add(rs.getString(1));
                }
            }
        }
        for (Column c : t.columns()) {
            if (!present.contains(c.column())) {
                String type = switch (c.type()) {
                    case INT64 -> "BIGINT";
                    case INT32 -> "INTEGER";
                    case UTF8 -> "VARCHAR";
                };
                try (Statement s = conn.createStatement()) {
                    s.execute("ALTER TABLE " + t.tableName() + " ADD COLUMN " + c.column() + " " + type);
                }
            }
        }
    }

    /** The trace directory, or for a replay's output alone ({@link #hasTrace()} false) that directory. */
    public Path trace() {
        return trace;
    }

    /** False when the database holds a replay's divergences without their trace. */
    boolean hasTrace() {
        return hasTrace;
    }

    /**
     * Refuses a replay's output loaded without its trace, for the questions that need the trace
     * (verdict, rules, charts): a usage error saying how to give both.
     */
    public void requireTrace() throws MigtraceException {
        if (!hasTrace) {
            throw new MigtraceException(MigtraceException.ErrorCode.USAGE, trace + " is a replay's output ("
                    + replay.getFileName() + ") without its trace: give the trace and --replay " + trace
                    + " (migtrace sql " + trace + " queries the divergences alone)");
        }
    }

    /** The divergence table loaded with the trace ({@code divergences.arrow}), if any. */
    public Optional<Path> replay() {
        return Optional.ofNullable(replay);
    }

    /** Runs {@code sql} (any statement) and returns every row it yields (none for a statement without). */
    public QueryResult query(String sql) throws MigtraceException {
        try (Statement s = conn.createStatement()) {
            if (!s.execute(sql)) {
                return new QueryResult(List.of(), List.of());
            }
            try (ResultSet rs = s.getResultSet()) {
                return QueryResult.of(rs);
            }
        } catch (SQLException e) {
            throw new MigtraceException(MigtraceException.ErrorCode.USAGE, "query failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a user's query if it only reads: DuckDB's own parser must accept it as SELECT statements
     * ({@code json_serialize_sql} serializes nothing else), so no statement can change the tables.
     */
    public QueryResult readOnlyQuery(String sql) throws MigtraceException {
        Optional<String> refusal = refusal(sql);
        if (refusal.isPresent()) {
            throw new MigtraceException(MigtraceException.ErrorCode.USAGE, refusal.get());
        }
        return query(sql);
    }

    private Optional<String> refusal(String sql) throws MigtraceException {
        try (PreparedStatement ps = conn.prepareStatement(
                "SELECT json_extract(j, '$.error')::BOOLEAN, json_extract_string(j, '$.error_message')"
                        + " FROM (SELECT json_serialize_sql(?::VARCHAR) AS j)")) {
            ps.setString(1, sql);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    String why = rs.getString(2);
                    return Optional.of(why != null && why.startsWith("Only SELECT statements")
                            ? "only SELECT queries run here (the views are read-only)"
                            : "the query does not parse: " + why); // a typo is not a write
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw internal("checking the query failed: " + e.getMessage(), e);
        }
    }

    /** The names of the documented views, in load order. */
    public static List<String> viewNames() {
        List<String> out = new ArrayList<>();
        for (View v : View.values()) {
            out.add(v.viewName());
        }
        return out;
    }

    static MigtraceException internal(String message, Throwable cause) {
        return new MigtraceException(MigtraceException.ErrorCode.INTERNAL, message, cause);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the load already failed; that error is the one to report
        }
    }

    @Override
    public void close() throws MigtraceException {
        try {
            conn.close();
        } catch (SQLException e) {
            throw internal("closing DuckDB failed: " + e.getMessage(), e);
        }
    }
}
