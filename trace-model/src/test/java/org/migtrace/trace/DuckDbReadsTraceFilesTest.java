package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table files open in DuckDB with nothing of migtrace: plain Arrow Java reads each file and
 * hands it to DuckDB through the C data interface (DuckDB's arrow extension cannot be installed
 * here), the way docs/trace-format.md shows.
 */
class DuckDbReadsTraceFilesTest {

    @TempDir
    static Path tmp;

    static SampleTrace sample = SampleTrace.of(400);
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        dir = tmp.resolve("t");
        sample.write(dir, 64);
    }

    /** Registers every table file as a DuckDB table of the same name; what a user's snippet does. */
    static Connection open() throws Exception {
        Connection conn = DriverManager.getConnection("jdbc:duckdb:");
        try (BufferAllocator allocator = new RootAllocator()) {
            for (String table : List.of("events", "dirty_runs", "iterations")) {
                try (FileChannel ch = FileChannel.open(dir.resolve(table + ".arrow"), StandardOpenOption.READ);
                     ArrowFileReader reader = new ArrowFileReader(ch, allocator);
                     ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
                    Data.exportArrayStream(allocator, reader, stream);
                    ((DuckDBConnection) conn).registerArrowStream(table + "_arrow", stream);
                    try (Statement s = conn.createStatement()) {
                        s.execute("CREATE TABLE " + table + " AS SELECT * FROM " + table + "_arrow");
                    }
                }
            }
        }
        return conn;
    }

    static List<List<Object>> query(Connection conn, String sql) throws Exception {
        List<List<Object>> rows = new ArrayList<>();
        try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void sqlOverEventsAndDirtyRunsGivesTheNumbersOfTheTrace() throws Exception {
        long expectedPages = sample.dirtyRuns().stream()
                .filter(r -> sample.events().get((int) r.eventSeq()).op().equals("VFIO_IOMMU_DIRTY_PAGES"))
                .mapToLong(RecordedDirtyRun::pageCount).sum();
        long failed = sample.events().stream().filter(RecordedEvent::failed).count();
        try (Connection conn = open()) {
            assertThat(query(conn, "SELECT count(*), min(seq), max(seq) FROM events"))
                    .containsExactly(List.of(400L, 0L, 399L));
            assertThat(query(conn, """
                    SELECT sum(r.page_count)::BIGINT FROM dirty_runs r JOIN events e ON r.event_seq = e.seq
                    WHERE e.op = 'VFIO_IOMMU_DIRTY_PAGES'"""))
                    .containsExactly(List.of(expectedPages));
            assertThat(query(conn, "SELECT errno, errno_num, count(*) FROM events WHERE ret < 0 GROUP BY ALL"))
                    .containsExactly(List.of("EINVAL", 22, failed));
            assertThat(query(conn, "SELECT count(*) FROM events WHERE pid IS NULL"))
                    .containsExactly(List.of(sample.events().stream().filter(e -> e.pid() == null).count()));
            assertThat(query(conn, "SELECT count(*) FROM iterations i JOIN events e USING (seq) WHERE e.op = 'ITERATION'"))
                    .containsExactly(List.of((long) sample.iterations().size()));
            assertThat(query(conn, "SELECT DISTINCT printf('%x', iova), (iova::HUGEINT & 18446744073709551615)::UBIGINT::VARCHAR"
                    + " FROM events WHERE iova < 0"))
                    .as("a u64 bit pattern, in hex and as unsigned, as docs/trace-format.md shows")
                    .containsExactly(List.of("fffffffffffff000", "18446744073709547520"));
        }
    }

    @Test
    void columnNamesAndTypesAreTheDocumentedOnes() throws Exception {
        try (Connection conn = open()) {
            for (Table t : Table.values()) {
                List<List<Object>> described = query(conn, "SELECT column_name, data_type FROM information_schema.columns"
                        + " WHERE table_name = '" + t.tableName() + "' ORDER BY ordinal_position");
                List<List<Object>> expected = new ArrayList<>();
                for (Column c : t.columns()) {
                    expected.add(List.of(c.column(), switch (c.type()) {
                        case INT64 -> "BIGINT";
                        case INT32 -> "INTEGER";
                        case UTF8 -> "VARCHAR";
                    }));
                }
                assertThat(described).as(t.tableName()).isEqualTo(expected);
            }
        }
    }
}
