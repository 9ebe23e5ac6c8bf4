package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.nio.ByteBuffer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorLoader;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.BatchCodecs;
import org.migtrace.trace.Column;
import org.migtrace.trace.Table;
import org.migtrace.trace.TraceFormat;

/**
 * Reads the record batches a {@link TableIndex} found, one at a time into one
 * {@link VectorSchemaRoot}, and hands out column values by the table's column ordinal. A batch that
 * does not load or validate (offsets out of range, a null in a non-null column) is reported with
 * its offset; rows are only handed out from batches that passed.
 */
public final class TableFileReader implements AutoCloseable {

    private final Table table;
    private final TableIndex index;
    private final FileChannel channel;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final VectorLoader loader;
    /** Decompresses this reader's batches (3.x files) through one zstd context. */
    private final BatchCodecs codecs = TraceFormat.readerCodecs();
    private final FieldVector[] byColumn;
    /** Per column, when values are shared between rows ({@link #sharing}); else null. */
    private final SharedValues[] shared;
    /**
     * For the sharing reader, per column, where the loaded batch's buffers are (validity, offsets of
     * a text column, data; 0 for a column the file lacks): its values are read straight from there,
     * which is safe once {@link #load} has checked the buffers' sizes and the offsets.
     */
    private final long[] validityAt;
    private final long[] offsetsAt;
    private final long[] dataAt;
    private int loaded = -1;
    private int loadedRows;

    public TableFileReader(Table table, TableIndex index, BufferAllocator parent) throws IOException {
        this(table, index, parent, false);
    }

    /**
     * A reader for going through every row once, fast: equal texts and numbers of a column are
     * handed out as one shared instance, each distinct text decoded and checked as UTF-8 once (not
     * every value of a batch at load), and a batch is checked for what decoding relies on (buffer
     * sizes, offsets in order and inside the data) when it loads. The values are those of the
     * plain reader; a value that is not UTF-8 is reported when it is read, with its row and column.
     */
    public static TableFileReader sharing(Table table, TableIndex index, BufferAllocator parent) throws IOException {
        return new TableFileReader(table, index, parent, true);
    }

    private TableFileReader(Table table, TableIndex index, BufferAllocator parent, boolean share) throws IOException {
        this.table = table;
        this.index = index;
        this.channel = FileChannel.open(index.file(), StandardOpenOption.READ);
        this.allocator = parent.newChildAllocator(index.file().getFileName().toString(), 0, Long.MAX_VALUE);
        this.root = index.schema() == null ? null : VectorSchemaRoot.create(index.schema(), allocator);
        this.loader = root == null ? null : new VectorLoader(root, codecs);
        List<Column> columns = table.columns();
        this.byColumn = new FieldVector[columns.size()];
        for (int i = 0; i < byColumn.length && root != null; i++) {
            byColumn[i] = root.getVector(columns.get(i).column());
        }
        this.shared = share ? new SharedValues[columns.size()] : null;
        for (int i = 0; share && i < shared.length; i++) {
            shared[i] = new SharedValues();
        }
        this.validityAt = new long[byColumn.length];
        this.offsetsAt = new long[byColumn.length];
        this.dataAt = new long[byColumn.length];
    }

    public TableIndex index() {
        return index;
    }

    /** Loads batch {@code i} (if it is not the one loaded) and returns its row count. */
    public int load(int i) throws IOException, BadTraceException {
        TableIndex.Batch b = index.batches().get(i);
        if (loaded == i) {
            return b.rows();
        }
        loaded = -1;
        loadedRows = 0; // nothing is read by address from a batch that did not load
        try {
            readBatch(b);
            if (shared == null) {
                ValueVectorUtility.validateFull(root);
            } else {
                ValueVectorUtility.validate(root);
                checkOffsets();
            }
        } catch (RuntimeException | IOException e) {
            throw BadTraceException.atOffset(index.file(), b.offset(), "record batch " + i + " is corrupt ("
                    + e.getMessage() + ")");
        }
        if (root.getRowCount() != b.rows()) {
            throw BadTraceException.atOffset(index.file(), b.offset(), "record batch " + i + " loaded "
                    + root.getRowCount() + " rows, its metadata says " + b.rows());
        }
        loaded = i;
        loadedRows = b.rows();
        if (shared != null) {
            locateBuffers();
        }
        return b.rows();
    }

    /**
     * Where the loaded batch's buffers are. Every column has a value per row: loading sets each
     * vector's count to the batch's (a column written shorter is filled with nulls), and
     * {@code validate} has checked the buffers hold that many.
     */
    private void locateBuffers() {
        for (int c = 0; c < byColumn.length; c++) {
            FieldVector f = byColumn[c];
            validityAt[c] = f == null ? 0 : f.getValidityBuffer().memoryAddress();
            dataAt[c] = f == null ? 0 : f.getDataBuffer().memoryAddress();
            offsetsAt[c] = f instanceof VarCharVector v ? v.getOffsetBuffer().memoryAddress() : 0;
        }
    }

    /**
     * Whether the sharing reader's {@code column} is null at {@code row} (also when the file lacks
     * the column), read from the validity bitmap in place.
     */
    private boolean nullAt(int column, int row) {
        if (row < 0 || row >= loadedRows) {
            throw new IndexOutOfBoundsException("row " + row + " of a batch of " + loadedRows);
        }
        long validity = validityAt[column];
        return validity == 0 || (MemoryUtil.getByte(validity + (row >>> 3)) & (1 << (row & 7))) == 0;
    }

    /**
     * Reads one batch message into a buffer and loads it. {@code deserializeRecordBatch} takes over
     * the buffer's reference when it succeeds; until then the buffer is ours to free.
     */
    private void readBatch(TableIndex.Batch b) throws IOException {
        long total = b.metadataLength() + b.bodyLength();
        if (total > Integer.MAX_VALUE) {
            throw new IOException("a " + total + "-byte record batch is larger than this reader handles");
        }
        ArrowBuf buf = allocator.buffer(total);
        boolean handedOver = false;
        try {
            ByteBuffer nio = buf.nioBuffer(0, (int) total);
            while (nio.hasRemaining()) {
                if (channel.read(nio, b.offset() + nio.position()) < 0) {
                    throw new IOException("the file shrank while being read");
                }
            }
            Message message = Message.getRootAsMessage(buf.nioBuffer(8, b.metadataLength() - 8));
            RecordBatch header = (RecordBatch) message.header(new RecordBatch());
            ArrowRecordBatch batch = MessageSerializer.deserializeRecordBatch(header,
                    buf.slice(b.metadataLength(), b.bodyLength()));
            handedOver = true;
            try (batch) {
                loader.load(batch);
            }
        } finally {
            if (!handedOver) {
                buf.close();
            }
        }
    }

    /**
     * What {@code validateFull} checks of a text column besides UTF-8, which the sharing reader
     * checks per distinct value: every value's offsets in order and inside the data buffer.
     */
    private void checkOffsets() {
        for (FieldVector f : byColumn) {
            if (f instanceof VarCharVector v && v.getValueCount() > 0) {
                ArrowBuf offsets = v.getOffsetBuffer();
                long dataSize = v.getDataBuffer().capacity();
                int previous = offsets.getInt(0);
                if (previous < 0) {
                    throw new IllegalStateException("column " + v.getName() + ": negative first offset " + previous);
                }
                for (int i = 1; i <= v.getValueCount(); i++) {
                    int next = offsets.getInt((long) i * BaseVariableWidthVector.OFFSET_WIDTH);
                    if (next < previous || next > dataSize) {
                        throw new IllegalStateException("column " + v.getName() + ": offset " + i + " is " + next
                                + ", after " + previous + " in " + dataSize + " bytes of data");
                    }
                    previous = next;
                }
            }
        }
    }

    /** Whether {@code column} is null at {@code row}, also when the file lacks the (nullable) column. */
    private boolean isNull(int column, int row) {
        if (shared != null) {
            return nullAt(column, row);
        }
        FieldVector v = byColumn[column];
        return v == null || v.isNull(row);
    }

    /** The int64 at a row that is not null. */
    private long longAt(int column, int row) {
        return shared != null ? MemoryUtil.getLong(dataAt[column] + 8L * row) : ((BigIntVector) byColumn[column]).get(row);
    }

    /** The int32 at a row that is not null. */
    private int intAt(int column, int row) {
        return shared != null ? MemoryUtil.getInt(dataAt[column] + 4L * row) : ((IntVector) byColumn[column]).get(row);
    }

    /** The value of an int64 column, or null (also when the file lacks the nullable column). */
    public Long int64(int column, int row) {
        if (isNull(column, row)) {
            return null;
        }
        long v = longAt(column, row);
        return shared == null ? Long.valueOf(v) : shared[column].box(v);
    }

    public Integer int32(int column, int row) {
        if (isNull(column, row)) {
            return null;
        }
        int v = intAt(column, row);
        return shared == null ? Integer.valueOf(v) : shared[column].box(v);
    }

    public String utf8(int column, int row) throws BadTraceException {
        if (isNull(column, row)) {
            return null;
        }
        if (shared == null) {
            return new String(((VarCharVector) byColumn[column]).get(row), StandardCharsets.UTF_8);
        }
        long offsets = offsetsAt[column] + (long) row * BaseVariableWidthVector.OFFSET_WIDTH;
        int start = MemoryUtil.getInt(offsets);
        int length = MemoryUtil.getInt(offsets + BaseVariableWidthVector.OFFSET_WIDTH) - start;
        try {
            return shared[column].text(dataAt[column] + start, length);
        } catch (CharacterCodingException e) {
            throw badValue(column, row, "is not UTF-8 (" + e.getMessage() + ")");
        }
    }

    /** A non-null int64 column's value; a null there is a corrupt batch. */
    public long requiredInt64(int column, int row) throws BadTraceException {
        if (isNull(column, row)) {
            throw nullIn(column, row);
        }
        return longAt(column, row);
    }

    public int requiredInt32(int column, int row) throws BadTraceException {
        if (isNull(column, row)) {
            throw nullIn(column, row);
        }
        return intAt(column, row);
    }

    public String requiredUtf8(int column, int row) throws BadTraceException {
        String v = utf8(column, row);
        if (v == null) {
            throw nullIn(column, row);
        }
        return v;
    }

    private BadTraceException nullIn(int column, int row) {
        return badValue(column, row, "is null but may not be");
    }

    /** A value no writer writes: a corrupt batch, named by its offset, batch, row and column. */
    public BadTraceException badValue(int column, int row, String problem) {
        TableIndex.Batch b = index.batches().get(loaded);
        return BadTraceException.atOffset(index.file(), b.offset(), "record batch " + loaded + ", row " + row
                + ": column " + table.columns().get(column).column() + " " + problem);
    }

    @Override
    public void close() throws IOException {
        try {
            if (root != null) {
                root.close();
            }
            allocator.close();
        } finally {
            codecs.close();
            channel.close();
        }
    }
}
