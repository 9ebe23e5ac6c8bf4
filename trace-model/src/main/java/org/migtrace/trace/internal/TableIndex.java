package org.migtrace.trace.internal;

import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * What a scan of one table file found before any row was read: the schema, every complete record
 * batch with its place and row count, and whether the file ends with its footer.
 *
 * @param schema    null when the file ends before its schema (a writer killed at once)
 * @param finished  the file ends with the end-of-stream marker and a footer that lists exactly these batches
 * @param intactEnd the offset just after the last complete message; where an unfinished file was cut
 * @param cutReason for an unfinished file, where and how it ends; null when finished
 */
public record TableIndex(Path file, Schema schema, List<Batch> batches, long rows, long size, boolean finished,
                         long intactEnd, String cutReason) {

    /** One record batch message: where it starts, its metadata (with the 8-byte prefix) and body lengths, its rows. */
    public record Batch(long offset, int metadataLength, long bodyLength, int rows) {
    }
}
