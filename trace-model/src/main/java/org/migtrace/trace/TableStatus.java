package org.migtrace.trace;

import java.nio.file.Path;

/**
 * What opening one table file found: its intact rows, and whether it ends with its footer. A file
 * without its footer (the writer was stopped) is read up to its last complete record batch.
 *
 * @param rows        rows in the complete record batches: the rows a reader yields
 * @param batches     complete record batches
 * @param finished    the file ends with its footer, listing exactly those batches
 * @param size        the file's size in bytes
 * @param intactBytes the bytes that hold the header, the schema and the complete batches (all, when finished)
 * @param recovery    for an unfinished file, where it ends and what was ignored; null when finished
 */
public record TableStatus(Table table, Path file, long rows, int batches, boolean finished, long size,
                          long intactBytes, String recovery) {
}
