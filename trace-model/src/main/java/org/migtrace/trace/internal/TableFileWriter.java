package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.migtrace.trace.Manifest.TableInfo;
import org.migtrace.trace.Table;

/**
 * One table's Arrow IPC file being written: the magic and schema at once, then a record batch
 * whenever the batch is full or the trace is flushed, the footer at {@link #finish()}. The rows of
 * the current batch live in one {@link VectorSchemaRoot} that is reset, not reallocated, after each
 * batch, so memory stays at one batch however long the capture.
 */
public final class TableFileWriter {

    private final Table table;
    private final Path file;
    private final DigestingChannel out;
    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final ArrowFileWriter writer;
    private final BigIntVector[] int64;
    private final IntVector[] int32;
    private final VarCharVector[] utf8;
    private final int batchRows;
    private final long[][] stagedInt64;
    private final byte[][] stagedCode;
    private final byte[][][] stagedLabels;
    private final boolean[] zeroIsNull;
    private int row;
    private long rowsWritten;
    private boolean released;

    private TableFileWriter(Table table, Path file, FileChannel channel, BufferAllocator allocator, int batchRows) {
        this.table = table;
        this.file = file;
        this.out = new DigestingChannel(channel);
        this.allocator = allocator;
        this.batchRows = batchRows;
        this.root = VectorSchemaRoot.create(Schemas.of(table), allocator);
        List<FieldVector> vectors = root.getFieldVectors();
        int n = vectors.size();
        this.int64 = new BigIntVector[n];
        this.int32 = new IntVector[n];
        this.utf8 = new VarCharVector[n];
        this.stagedInt64 = new long[n][];
        this.stagedCode = new byte[n][];
        this.stagedLabels = new byte[n][][];
        this.zeroIsNull = new boolean[n];
        for (int i = 0; i < n; i++) {
            FieldVector v = vectors.get(i);
            if (v instanceof BigIntVector b) {
                int64[i] = b;
            } else if (v instanceof IntVector iv) {
                int32[i] = iv;
            } else {
                utf8[i] = (VarCharVector) v;
            }
            v.setInitialCapacity(batchRows);
            v.allocateNew();
        }
        // No dictionaries, no compression: readers need nothing but the plain IPC file format.
        this.writer = new ArrowFileWriter(root, null, out);
    }

    /** Creates the file (it must not exist) and writes the magic and the schema. */
    public static TableFileWriter create(Path dir, Table table, BufferAllocator parent, int batchRows) throws IOException {
        Path file = dir.resolve(table.file());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        BufferAllocator allocator = parent.newChildAllocator(table.tableName(), 0, Long.MAX_VALUE);
        TableFileWriter w = new TableFileWriter(table, file, channel, allocator, batchRows);
        w.writer.start();
        return w;
    }

    public BigIntVector int64(int column) {
        return int64[column];
    }

    public IntVector int32(int column) {
        return int32[column];
    }

    public VarCharVector utf8(int column) {
        return utf8[column];
    }

    /**
     * A not-null INT64 column filled in a plain array, row by row ({@code [row()]}), and copied into
     * the Arrow vector in one piece when the batch is written: for the tables that take millions of
     * rows a second (dirty runs), where a checked vector write per value is most of the cost. A
     * column is either staged or written through {@link #int64(int)}, not both.
     */
    public long[] stagedInt64(int column) {
        if (stagedInt64[column] == null) {
            stagedInt64[column] = new long[batchRows];
        }
        return stagedInt64[column];
    }

    /**
     * A nullable INT64 column staged like {@link #stagedInt64(int)}, for values that are never 0: a
     * row's 0 is written as null.
     */
    public long[] stagedInt64ZeroIsNull(int column) {
        zeroIsNull[column] = true;
        return stagedInt64(column);
    }

    /**
     * A not-null UTF8 column whose values are a few fixed {@code labels}: filled with each row's
     * label index ({@code [row()]}), written as the labels' bytes when the batch is written.
     */
    public byte[] stagedCode(int column, byte[][] labels) {
        if (stagedCode[column] == null) {
            stagedCode[column] = new byte[batchRows];
            stagedLabels[column] = labels;
        }
        return stagedCode[column];
    }

    /** The index of the row being filled in the current batch. */
    public int row() {
        return row;
    }

    /** Counts the row just filled; writes the batch when it is full. */
    public void rowDone() throws IOException {
        row++;
        if (row == batchRows) {
            writeBatch();
        }
    }

    /** Whether the row being filled is the last of its batch (its {@link #rowDone()} writes the batch). */
    public boolean batchFullAfterThisRow() {
        return row + 1 == batchRows;
    }

    /** Writes the rows of the current batch (if any) to the file as one record batch. */
    public void writeBatch() throws IOException {
        if (row == 0) {
            return;
        }
        copyStaged(row);
        root.setRowCount(row);
        writer.writeBatch();
        rowsWritten += row;
        row = 0;
        for (FieldVector v : root.getFieldVectors()) {
            v.reset();
        }
    }

    /** Moves the staged columns' {@code n} rows into their vectors, in bulk. */
    private void copyStaged(int n) {
        for (int c = 0; c < stagedInt64.length; c++) {
            if (stagedInt64[c] != null) {
                BigIntVector v = int64[c];
                v.getDataBuffer().nioBuffer(0, n * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
                        .put(stagedInt64[c], 0, n);
                if (zeroIsNull[c]) {
                    validUnlessZero(v.getValidityBuffer(), stagedInt64[c], n);
                } else {
                    allValid(v.getValidityBuffer(), n);
                }
            }
            if (stagedCode[c] != null) {
                copyLabels(utf8[c], stagedCode[c], stagedLabels[c], n);
            }
        }
    }

    private static void copyLabels(VarCharVector v, byte[] codes, byte[][] labels, int n) {
        int[] offsets = new int[n + 1];
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += labels[codes[i]].length;
            offsets[i + 1] = total;
        }
        byte[] data = new byte[total];
        for (int i = 0; i < n; i++) {
            byte[] label = labels[codes[i]];
            System.arraycopy(label, 0, data, offsets[i], label.length);
        }
        while (v.getDataBuffer().capacity() < total) {
            v.reallocDataBuffer();
        }
        v.getOffsetBuffer().nioBuffer(0, (n + 1) * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(offsets);
        v.getDataBuffer().setBytes(0, data);
        allValid(v.getValidityBuffer(), n);
        v.setLastSet(n - 1);
    }

    /** Sets the validity bits of rows 0..n-1 (and no other). */
    private static void allValid(ArrowBuf validity, int n) {
        int full = n >>> 3;
        validity.setOne(0, full);
        int rest = n & 7;
        if (rest > 0) {
            validity.setByte(full, (1 << rest) - 1);
        }
    }

    /** Sets the validity bits of rows 0..n-1 whose value is not 0, clears the others. */
    private static void validUnlessZero(ArrowBuf validity, long[] values, int n) {
        for (int i = 0; i < n; i += 8) {
            int b = 0;
            for (int j = 0; j < 8 && i + j < n; j++) {
                if (values[i + j] != 0) {
                    b |= 1 << j;
                }
            }
            validity.setByte(i >>> 3, b);
        }
    }

    /** Writes the last batch and the footer, syncs and closes the file; returns its manifest entry. */
    public TableInfo finish() throws IOException {
        writeBatch();
        writer.end();
        out.file().force(true);
        TableInfo info = new TableInfo(table.tableName(), table.file(), rowsWritten, out.sha256Hex());
        release();
        return info;
    }

    /**
     * Closes the file as it is and frees the batch. (Not {@code ArrowFileWriter.close()}: that would
     * write the footer, which only {@link #finish()} may do.)
     */
    public void release() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            root.close();
            allocator.close();
        } finally {
            out.close();
        }
    }

    public Path file() {
        return file;
    }
}
