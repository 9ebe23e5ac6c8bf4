package org.migtrace.trace;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.migtrace.trace.internal.EventAppender;
import org.migtrace.trace.internal.ManifestIo;
import org.migtrace.trace.internal.ReferenceTracker;
import org.migtrace.trace.internal.RowWriters;
import org.migtrace.trace.internal.TableFileWriter;

/**
 * Writes a trace directory as the capture goes: the live side of {@link RecordedTrace}.
 *
 * <p>{@link #create} writes {@code manifest.json} at once, saying the capture has not finished,
 * and starts one Arrow IPC file per table. Rows collect in one batch per table; a full batch
 * ({@link Options#batchRows()}) and {@link #flush()} write record batches to the files. If the
 * process dies, every batch written is readable ({@link RecordedTrace} recovers files without their
 * footer) and the manifest says the capture did not finish. {@link #close()} writes the last
 * batches, the footers, and the final manifest: row counts, SHA-256 of each file, lost events, the
 * time span, {@code complete = true}. Memory is one batch per table however long the capture.
 *
 * <p>The contract ({@link TraceSink}) is enforced: a row that breaks it is refused with an
 * {@link IllegalStateException} before anything of it is written. Batches of {@code dirty_runs}
 * and {@code iterations} are only written after the events they refer to, so a cut-short trace
 * never refers past its events. Calls that write a batch from {@link EventRow#commit()},
 * {@link #dirtyRun} or {@link #iteration} report I/O errors as {@link UncheckedIOException}.
 * Not thread-safe: one producer.
 */
public final class TraceWriter implements TraceSink {

    /**
     * @param batchRows rows per record batch of events and iterations, 8192 by default; dirty_runs
     *                  batches hold {@link #DIRTY_RUNS_BATCH_FACTOR} times as many
     */
    public record Options(int batchRows) {
        public Options {
            if (batchRows < 1) {
                throw new IllegalArgumentException("batchRows must be at least 1: " + batchRows);
            }
        }

        public static Options defaults() {
            return new Options(8192);
        }
    }

    /**
     * Dirty runs are many (a dozen per event in a capture of scattered dirt) and small: each of their
     * batches first hands over the events batch filling (the events it refers to), so a bigger batch
     * means fewer, fuller events batches. 4 was the fastest import of 1M lines (JMH: 1.43 s at 1,
     * 1.18 s at 4, 1.29 s at 8, 1.34 s at 32).
     */
    public static final int DIRTY_RUNS_BATCH_FACTOR = 4;

    private final Path dir;
    private final boolean createdDir;
    private final Manifest start;
    private final BufferAllocator allocator;
    /** Serializes, hashes and writes full batches while the producer fills the next ones. */
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "migtrace-trace-writer");
        t.setDaemon(true);
        return t;
    });
    private final Map<Table, TableFileWriter> files = new EnumMap<>(Table.class);
    private final TableFileWriter events;
    private final TableFileWriter dirtyRuns;
    private final TableFileWriter iterations;
    private final ReferenceTracker refs = new ReferenceTracker();
    private final EventAppender eventRow;
    private long lostEvents;
    private long lostEventsInManifest;
    private boolean closed;

    private TraceWriter(Path dir, boolean createdDir, Manifest start, Options options) throws IOException {
        this.dir = dir;
        this.createdDir = createdDir;
        this.start = new Manifest(Manifest.Format.current(), start.source(), start.hosts(), start.pageSize(),
                start.guestMemory(), start.devices(), start.iommu(), start.scenario(), List.of(), 0, false, null, null,
                start.notes());
        this.allocator = new RootAllocator();
        try {
            ManifestIo.write(dir, this.start);
            for (Table t : Table.values()) {
                int rows = t == Table.DIRTY_RUNS ? options.batchRows() * DIRTY_RUNS_BATCH_FACTOR : options.batchRows();
                files.put(t, TableFileWriter.create(dir, t, allocator, rows, io));
            }
        } catch (IOException | RuntimeException e) {
            releaseFiles();
            throw e;
        }
        this.events = files.get(Table.EVENTS);
        this.dirtyRuns = files.get(Table.DIRTY_RUNS);
        this.iterations = files.get(Table.ITERATIONS);
        this.eventRow = new EventAppender(events, refs);
    }

    /** {@link #create(Path, Manifest, Options)} with {@link Options#defaults()}. */
    public static TraceWriter create(Path dir, Manifest start) throws IOException {
        return create(dir, start, Options.defaults());
    }

    /**
     * Starts a trace in {@code dir}, which must not exist or be an empty directory.
     *
     * @param start what is known when the capture starts (source, hosts, devices...); its format,
     *              tables and completion are the writer's to fill in
     * @throws FileAlreadyExistsException if {@code dir} is a file or a non-empty directory
     */
    public static TraceWriter create(Path dir, Manifest start, Options options) throws IOException {
        boolean created = false;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                if (entries.iterator().hasNext()) {
                    throw new FileAlreadyExistsException(dir.toString(), null,
                            "directory is not empty (a trace is written into a new or empty directory)");
                }
            }
        } else if (Files.exists(dir)) {
            throw new FileAlreadyExistsException(dir.toString(), null, "is a file, not a directory");
        } else {
            Files.createDirectories(dir);
            created = true;
        }
        return new TraceWriter(dir, created, start, options);
    }

    /** The trace directory. */
    public Path directory() {
        return dir;
    }

    @Override
    public EventRow event() {
        return eventRow;
    }

    @Override
    public void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount) {
        dirtyRow(eventSeq, source, pageSize, firstPage, pageCount, 0);
    }

    @Override
    public void dirtyWord(long eventSeq, DirtySource source, long pageSize, long firstPage, long bits) {
        dirtyRow(eventSeq, source, pageSize, firstPage, Long.bitCount(bits), bits);
    }

    /** One dirty row: a run when {@code bits} is 0, else a word. */
    private void dirtyRow(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits) {
        ensureOpen();
        String bad = badDirtyRow(eventSeq, source, pageSize, firstPage, pageCount, bits);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        refuse(refs.dirtyRun(eventSeq));
        RowWriters.dirtyRow(dirtyRuns, eventSeq, source, pageSize, firstPage, pageCount, bits);
        rowsDone(dirtyRuns, 1);
    }

    /** What is wrong with a dirty row (a run when {@code bits} is 0, else a word), or null. */
    private static String badDirtyRow(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount,
                                      long bits) {
        if (bits == 0) {
            if (source == null || pageSize < 1 || pageCount < 1 || firstPage < 0 || firstPage + pageCount < firstPage) {
                return "dirty run of event " + eventSeq + ": source " + source + ", page_size " + pageSize + ", first_page "
                        + firstPage + ", page_count " + pageCount
                        + " (source set, page_size > 0, first_page >= 0, page_count >= 1)";
            }
            return null;
        }
        if (source == null || pageSize < 1 || firstPage < 0 || firstPage + 64 < firstPage || DirtyRows.runsIn(bits) < 2
                || pageCount != Long.bitCount(bits)) {
            return "dirty word of event " + eventSeq + ": source " + source + ", page_size " + pageSize + ", first_page "
                    + firstPage + ", bits 0x" + Long.toHexString(bits) + ", page_count " + pageCount
                    + " (source set, page_size > 0, first_page >= 0, two or more runs of set bits: fewer are a run;"
                    + " page_count the bits set)";
        }
        return null;
    }

    /** As the rows one by one (the same checks, the same bytes), with the event checked once and the values copied in blocks. */
    @Override
    public void dirtyRows(long eventSeq, DirtySource source, long pageSize, long[] firstPage, long[] pageCount, long[] bits,
                          int n) {
        ensureOpen();
        for (int i = 0; i < n; i++) {
            String bad = badDirtyRow(eventSeq, source, pageSize, firstPage[i], pageCount[i], bits[i]);
            if (bad != null) {
                throw new IllegalArgumentException(bad);
            }
        }
        if (n == 0) {
            return;
        }
        refuse(refs.dirtyRun(eventSeq));
        int done = 0;
        while (done < n) {
            int k = RowWriters.dirtyRows(dirtyRuns, eventSeq, source, pageSize, firstPage, pageCount, bits, done, n - done);
            rowsDone(dirtyRuns, k);
            done += k;
        }
    }

    @Override
    public void iteration(IterationRow row) {
        ensureOpen();
        if (row.decision() == null) {
            throw new IllegalArgumentException("iterations row of seq " + row.seq() + " lacks its decision");
        }
        refuse(refs.iteration(row.seq()));
        RowWriters.iteration(iterations, row);
        rowsDone(iterations, 1);
    }

    @Override
    public void addLostEvents(long count) {
        ensureOpen();
        if (count < 0) {
            throw new IllegalArgumentException("lost event count " + count + " < 0");
        }
        lostEvents += count;
    }

    /**
     * Writes every pending row to the files (events first), so that they survive the process dying;
     * the manifest is rewritten when the lost-event count changed. The files are not fsync'ed here
     * (that is {@link #close()}): a kill loses nothing written, a power cut may.
     */
    @Override
    public void flush() throws IOException {
        ensureOpen();
        events.writeBatch();
        dirtyRuns.writeBatch();
        iterations.writeBatch();
        for (TableFileWriter f : files.values()) {
            f.awaitWritten();
        }
        if (lostEvents != lostEventsInManifest) {
            ManifestIo.write(dir, start.finished(List.of(), lostEvents, false, null, null));
            lostEventsInManifest = lostEvents;
        }
    }

    /** Finishes the trace and records that the capture finished cleanly: {@code finish(true)}. */
    @Override
    public void close() throws IOException {
        if (!closed) {
            finish(true);
        }
    }

    /**
     * Writes the last batches and the footers, then the final manifest with row counts, checksums,
     * lost events and time span. {@code captureComplete = false} records that the capture this trace
     * holds did not finish (an import of a cut-short capture, a producer that failed), although the
     * files themselves are complete.
     */
    public void finish(boolean captureComplete) throws IOException {
        finish(captureComplete, start);
    }

    /**
     * {@link #finish(boolean)} with what a producer learned only by reading its whole input (an
     * importer: the devices its log names, the VMM version its formats reveal, notes): the final
     * manifest takes source, hosts, page size, guest memory, devices, IOMMU objects, scenario and
     * notes from {@code described}; format, tables, lost events, completion and time span are the
     * writer's.
     */
    public void finish(boolean captureComplete, Manifest described) throws IOException {
        ensureOpen();
        closed = true;
        eventRow.close();
        List<Manifest.TableInfo> tables = new ArrayList<>();
        try {
            for (TableFileWriter f : files.values()) {
                tables.add(f.finish());
            }
        } catch (IOException | RuntimeException e) {
            releaseFiles();
            throw e;
        }
        io.shutdown();
        allocator.close();
        Long first = eventRow.any() ? eventRow.firstTs() : null;
        Long last = eventRow.any() ? eventRow.lastTs() : null;
        ManifestIo.write(dir, new Manifest(start.format(), described.source(), described.hosts(), described.pageSize(),
                described.guestMemory(), described.devices(), described.iommu(), described.scenario(), tables,
                lostEvents, captureComplete, first, last, described.notes()));
    }

    /**
     * Abandons the trace: closes the files and deletes what this writer created (the files, and the
     * directory if it made it). For a producer whose input turned out to be bad.
     */
    public void discard() throws IOException {
        closed = true;
        eventRow.close();
        releaseFiles();
        for (Table t : Table.values()) {
            Files.deleteIfExists(dir.resolve(t.file()));
        }
        Files.deleteIfExists(dir.resolve(TraceFormat.MANIFEST));
        Files.deleteIfExists(dir.resolve(TraceFormat.MANIFEST + ".tmp"));
        if (createdDir) {
            Files.deleteIfExists(dir);
        }
    }

    /** Closes whatever is still open after a failure; the first error is the one worth reporting. */
    private void releaseFiles() {
        io.shutdown();
        for (TableFileWriter f : files.values()) {
            try {
                f.release();
            } catch (IOException | RuntimeException e) {
                // already failing: nothing more to report than the first error
            }
        }
        try {
            allocator.close();
        } catch (RuntimeException e) {
            // a batch still held by a file that failed to close: the process is failing anyway
        }
    }

    /** {@code k} dirty_runs or iterations rows are done; a full batch goes to disk after the events it refers to. */
    private void rowsDone(TableFileWriter table, int k) {
        try {
            if (table.batchFullAfter(k)) {
                events.writeBatch();
            }
            table.rowsDone(k);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + table.file(), e);
        }
    }

    private static void refuse(String problem) {
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the trace writer is closed");
        }
    }
}
