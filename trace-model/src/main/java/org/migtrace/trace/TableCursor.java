package org.migtrace.trace;

import java.io.IOException;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.migtrace.trace.internal.RowDecoders.RowDecoder;
import org.migtrace.trace.internal.TableFileReader;

/**
 * A pull reader over one table, from its first row: {@link #hasNext()} / {@link #next()}, or a
 * {@link #stream()}. One record batch is in memory at a time. Obtained from {@link RecordedTrace};
 * closed with it if not before.
 */
public final class TableCursor<T> implements AutoCloseable {

    private final TableFileReader reader;
    private final RowDecoder<T> decoder;
    private final long size;
    private final Runnable onClose;
    private int batch = -1;
    private int row;
    private int rowsInBatch;
    private long position;
    private boolean closed;

    TableCursor(TableFileReader reader, RowDecoder<T> decoder, Runnable onClose) {
        this.reader = reader;
        this.decoder = decoder;
        this.size = reader.index().rows();
        this.onClose = onClose;
    }

    /** The number of rows this cursor yields in all. */
    public long size() {
        return size;
    }

    /** The number of rows read so far (the 0-based row number of the next one). */
    public long position() {
        return position;
    }

    /** Whether a row remains; needs no I/O. */
    public boolean hasNext() {
        return position < size;
    }

    /**
     * The next row.
     *
     * @throws BadTraceException if its record batch is corrupt (the message names file and offset)
     * @throws NoSuchElementException if none remains
     */
    public T next() throws BadTraceException, IOException {
        if (closed) {
            throw new IllegalStateException("the cursor is closed");
        }
        if (!hasNext()) {
            throw new NoSuchElementException("no more rows in " + reader.index().file());
        }
        while (row >= rowsInBatch) {
            batch++;
            rowsInBatch = reader.load(batch);
            row = 0;
        }
        T t = decoder.decode(reader, row);
        row++;
        position++;
        return t;
    }

    TableFileReader reader() {
        return reader;
    }

    /** The byte offset of the record batch the last row came from (for messages), or -1 before the first. */
    public long batchOffset() {
        return batch < 0 ? -1 : reader.index().batches().get(batch).offset();
    }

    /**
     * The remaining rows as a sequential stream; a corrupt batch surfaces as
     * {@link UncheckedTraceException}. Closing the stream closes this cursor.
     */
    public Stream<T> stream() {
        Spliterator<T> split = new Spliterators.AbstractSpliterator<>(size - position,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED) {
            @Override
            public boolean tryAdvance(Consumer<? super T> action) {
                if (!hasNext()) {
                    return false;
                }
                try {
                    action.accept(next());
                } catch (BadTraceException | IOException e) {
                    throw new UncheckedTraceException(e);
                }
                return true;
            }
        };
        return StreamSupport.stream(split, false).onClose(this::close);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            reader.close();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            onClose.run();
        }
    }
}
