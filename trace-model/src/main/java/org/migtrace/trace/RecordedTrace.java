package org.migtrace.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.migtrace.trace.internal.ManifestIo;
import org.migtrace.trace.internal.RowDecoders;
import org.migtrace.trace.internal.RowDecoders.RowDecoder;
import org.migtrace.trace.internal.TableFileReader;
import org.migtrace.trace.internal.TableIndex;
import org.migtrace.trace.internal.TraceTables;

/**
 * A trace directory opened for reading: what {@link TraceWriter} wrote, read back.
 *
 * <pre>{@code
 * try (RecordedTrace trace = RecordedTrace.open(dir)) {
 *     while (trace.hasMoreEvents()) {
 *         RecordedEvent e = trace.readEvent();
 *     }
 * }
 * }</pre>
 *
 * <p>{@link #open} reads {@code manifest.json} and checks the format name and major version before
 * anything else, then scans every table file's framing (no rows yet): its schema must have every
 * non-null column with its documented type (columns it does not know are ignored), and a file the
 * writer did not finish is read up to its last complete record batch ({@link #tables()} says so).
 * Bad input is a {@link BadTraceException} naming the file and the byte offset (or JSON line);
 * I/O failures are {@link IOException}s. Checksums and cross-table references are the
 * {@link TraceVerifier}'s to check.
 *
 * <p>{@link #hasMoreEvents()}/{@link #readEvent()} walk the events table; {@link #events()},
 * {@link #dirtyRuns()} and {@link #iterations()} open independent cursors from the first row. One
 * record batch per cursor is in memory. Not thread-safe.
 */
public final class RecordedTrace implements AutoCloseable {

    private final Path dir;
    private final Manifest manifest;
    private final TraceFormat.Version version;
    private final Map<Table, TableIndex> indexes;
    private final BufferAllocator allocator = new RootAllocator();
    private final List<TableCursor<?>> open = new ArrayList<>();
    private TableCursor<RecordedEvent> eventCursor;

    private RecordedTrace(Path dir, Manifest manifest, Map<Table, TableIndex> indexes) {
        this.dir = dir;
        this.manifest = manifest;
        this.version = TraceFormat.Version.parse(manifest.format().version()).orElseThrow();
        this.indexes = indexes;
    }

    /**
     * Opens the trace in {@code dir}.
     *
     * @throws BadTraceException if the manifest is missing or unreadable, names another format or an
     *                           unsupported major version, or a table file is missing, truncated
     *                           (while the manifest says it was finished) or corrupt
     */
    public static RecordedTrace open(Path dir) throws BadTraceException, IOException {
        Manifest manifest = ManifestIo.read(dir);
        Map<Table, TableIndex> indexes = new EnumMap<>(Table.class);
        for (Table t : Table.values()) {
            TableIndex index = TraceTables.scan(dir, t);
            BadTraceException problem = TraceTables.schemaMismatch(t, index)
                    .or(() -> TraceTables.truncation(manifest, t, index))
                    .or(() -> TraceTables.rowCountMismatch(manifest, t, index)).orElse(null);
            if (problem != null) {
                throw problem;
            }
            indexes.put(t, index);
        }
        RecordedTrace trace = new RecordedTrace(dir, manifest, indexes);
        try {
            trace.eventCursor = trace.events();
        } catch (IOException | RuntimeException e) {
            trace.close();
            throw e;
        }
        return trace;
    }

    /** Every event of the trace in {@code dir}, in memory: for small traces and tests. */
    public static List<RecordedEvent> readAllEvents(Path dir) throws BadTraceException, IOException {
        try (RecordedTrace trace = open(dir)) {
            List<RecordedEvent> out = new ArrayList<>();
            while (trace.hasMoreEvents()) {
                out.add(trace.readEvent());
            }
            return out;
        }
    }

    public Path directory() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    /** The format version the trace was written with (this reader supports its major). */
    public TraceFormat.Version formatVersion() {
        return version;
    }

    /** Whether the capture finished cleanly (the manifest's {@code complete}). */
    public boolean captureComplete() {
        return manifest.complete();
    }

    /** What opening each table found, in {@link Table} order. */
    public List<TableStatus> tables() {
        List<TableStatus> out = new ArrayList<>();
        indexes.forEach((t, i) -> out.add(TraceTables.status(t, i)));
        return out;
    }

    public TableStatus table(Table table) {
        return TraceTables.status(table, indexes.get(table));
    }

    /** The number of events the trace yields (all of them, or the intact prefix of a cut-short capture). */
    public long eventCount() {
        return indexes.get(Table.EVENTS).rows();
    }

    /** Whether {@link #readEvent()} has another event; needs no I/O. */
    public boolean hasMoreEvents() {
        return eventCursor.hasNext();
    }

    /**
     * The next event in {@code seq} order.
     *
     * @throws BadTraceException if its record batch is corrupt
     * @throws java.util.NoSuchElementException if there is none
     */
    public RecordedEvent readEvent() throws BadTraceException, IOException {
        return eventCursor.next();
    }

    /** A new cursor over the events, from the first. */
    public TableCursor<RecordedEvent> events() throws IOException {
        return cursor(Table.EVENTS, RowDecoders.EVENTS);
    }

    /** A new cursor over the dirty runs (in {@code event_seq} order). */
    public TableCursor<RecordedDirtyRun> dirtyRuns() throws IOException {
        return cursor(Table.DIRTY_RUNS, RowDecoders.DIRTY_RUNS);
    }

    /** A new cursor over the iterations rows (in {@code seq} order). */
    public TableCursor<IterationRow> iterations() throws IOException {
        return cursor(Table.ITERATIONS, RowDecoders.ITERATIONS);
    }

    /**
     * A new cursor over the events, from the first, for a reader that goes through every row once and
     * fast (replay): the rows are those {@link #events()} gives, but equal values of a column are one
     * shared instance (texts decoded once per distinct value, not once per row), and a batch's text is
     * checked as UTF-8 as it is read rather than all at once when the batch loads.
     */
    public TableCursor<RecordedEvent> eventsSharingValues() throws IOException {
        return cursor(Table.EVENTS, RowDecoders.EVENTS, true);
    }

    /** {@link #dirtyRuns()}, sharing values as {@link #eventsSharingValues()} does. */
    public TableCursor<RecordedDirtyRun> dirtyRunsSharingValues() throws IOException {
        return cursor(Table.DIRTY_RUNS, RowDecoders.DIRTY_RUNS, true);
    }

    private <T> TableCursor<T> cursor(Table table, RowDecoder<T> decoder) throws IOException {
        return cursor(table, decoder, false);
    }

    private <T> TableCursor<T> cursor(Table table, RowDecoder<T> decoder, boolean sharing) throws IOException {
        TableFileReader reader = sharing ? TableFileReader.sharing(table, indexes.get(table), allocator)
                : new TableFileReader(table, indexes.get(table), allocator);
        TableCursor<?>[] self = new TableCursor<?>[1];
        TableCursor<T> cursor = new TableCursor<>(reader, decoder, () -> open.remove(self[0]));
        self[0] = cursor;
        open.add(cursor);
        return cursor;
    }

    /** Closes every cursor still open, then the trace. */
    @Override
    public void close() {
        for (TableCursor<?> c : List.copyOf(open)) {
            c.close();
        }
        allocator.close();
    }
}
