package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.Table;
import org.migtrace.trace.TableStatus;

/**
 * Opening a trace's table files, shared by the reader and the verifier: the scan, and the rule
 * for files that end without their footer. Such a file is a crash's leftover and is read up to its
 * last complete batch only when nothing says it was finished; when the manifest lists the file
 * (the writer finished it) or says the capture completed, a missing footer means the file was
 * truncated afterwards.
 */
public final class TraceTables {

    private TraceTables() {
    }

    /** Scans {@code table}'s file in {@code dir}. */
    public static TableIndex scan(Path dir, Table table) throws BadTraceException, IOException {
        Path file = dir.resolve(table.file());
        if (!Files.isRegularFile(file)) {
            throw BadTraceException.of(file, "missing: every trace has its " + table.tableName() + " table ("
                    + table.file() + "), even when it has no rows");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return IpcScanner.scan(file, ch);
        }
    }

    /** The schema message's offset: right after the 8-byte magic. */
    private static final long SCHEMA_OFFSET = 8;

    /**
     * The error when the file's schema lacks a non-null column or has a column of another type, or
     * empty. Columns this version does not know are accepted (a newer minor version added them).
     */
    public static Optional<BadTraceException> schemaMismatch(Table table, TableIndex index) {
        if (index.schema() == null) {
            return Optional.empty();
        }
        String mismatch = Schemas.mismatch(table, index.schema());
        return Optional.ofNullable(mismatch).map(m -> BadTraceException.atOffset(index.file(), SCHEMA_OFFSET, "schema: " + m));
    }

    /** The error for an unfinished file that should have been finished, or empty. */
    public static Optional<BadTraceException> truncation(Manifest manifest, Table table, TableIndex index) {
        if (index.finished()) {
            return Optional.empty();
        }
        boolean listed = manifest.table(table).isPresent();
        if (!listed && !manifest.complete()) {
            return Optional.empty();
        }
        return Optional.of(BadTraceException.atOffset(index.file(), index.intactEnd(), "truncated: the file "
                + index.cutReason() + ", but the manifest says " + (listed ? "the writer finished it" : "the capture finished")
                + " (a finished table file ends with its footer)"));
    }

    /** The error when the manifest lists {@code table} with another row count, or empty. */
    public static Optional<BadTraceException> rowCountMismatch(Manifest manifest, Table table, TableIndex index) {
        return manifest.table(table)
                .filter(info -> info.rows() != index.rows())
                .map(info -> BadTraceException.of(index.file(), "holds " + index.rows() + " rows, the manifest says "
                        + info.rows()));
    }

    public static TableStatus status(Table table, TableIndex index) {
        String recovery = index.finished() ? null : "no footer (the writer did not finish): the file " + index.cutReason()
                + "; " + index.batches().size() + " complete record batches (" + index.rows() + " rows) read";
        return new TableStatus(table, index.file(), index.rows(), index.batches().size(), index.finished(),
                index.size(), index.finished() ? index.size() : index.intactEnd(), recovery);
    }
}
