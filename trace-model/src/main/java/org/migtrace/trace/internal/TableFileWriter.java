package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.migtrace.trace.Manifest.TableInfo;
import org.migtrace.trace.Table;
import org.migtrace.trace.TraceFormat;

/**
 * One table's Arrow IPC file being written: the magic and schema at once, then a record batch
 * whenever the batch is full or the trace is flushed, the footer at {@link #finish()}. Rows are
 * filled into one of {@link #ROOTS} {@link VectorSchemaRoot}s, in turn, while the others' batches are compressed
 * (ZSTD, {@link TraceFormat#ZSTD_LEVEL}), serialized, hashed and written by the trace's writer thread ({@code io}, one thread for every table of a trace, so
 * that batches reach the files in the order they were handed over); the roots are reset, not
 * reallocated, so memory stays at {@link #ROOTS} batches however long the capture. Staged columns (below) are
 * staged per root too, and copied into its vectors by the writer thread: the producer only fills
 * arrays. {@link #awaitWritten()} waits until every batch handed over is in the file. Every
 * {@link #SYNC_BYTES} written, a background thread asks the disk to catch up ({@code fsync}), so that
 * the sync {@link #finish()} waits for is of the last stretch only, not of the whole file.
 */
public final class TableFileWriter {

    private final Table table;
    private final Path file;
    private final ChecksumChannel out;
    private final BufferAllocator allocator;
    private final ExecutorService io;
    /** Roots filled in turn: one being filled while the others wait for the writer thread or are written. */
    static final int ROOTS = 4;
    private final Batch[] batches = new Batch[ROOTS];
    private int filled; // index in batches of the root being filled
    private final BatchFileWriter writer;
    /** Compresses the batches' buffers (on the writer thread). */
    private final TraceCodecs.ZstdWriter codec;

    /** Bytes written between two background syncs. */
    static final long SYNC_BYTES = 32L << 20;

    /** The background syncs of every trace being written: one daemon thread, idle but for them. */
    private static final class Syncs {
        static final ExecutorService THREAD = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "migtrace-trace-sync");
            t.setDaemon(true);
            return t;
        });
    }

    private final java.util.concurrent.atomic.AtomicBoolean syncQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** File size at the last background sync asked for (writer thread only). */
    private long syncedAt;
    private final int batchRows;
    /** A text column's bytes, copied into its vector's buffer in one go (writer thread only). */
    private byte[] textScratch = new byte[0];
    private final byte[][][] stagedLabels;
    private final boolean[] zeroIsNull;
    private Batch filling;
    private int row;
    private long rowsWritten;
    private boolean released;

    /**
     * One root and its vectors by column, the arrays its staged columns are filled in, and the write
     * of its last batch (null when none pending).
     */
    private static final class Batch {
        final VectorSchemaRoot root;
        final BigIntVector[] int64;
        final IntVector[] int32;
        final VarCharVector[] utf8;
        final long[][] stagedInt64;
        final byte[][] stagedCode;
        /** For tables staged row by row with a mask of the columns each row set (events): the masks, the values. */
        long[] rowMasks;
        long[][] maskedValues;
        byte[][][] maskedUtf8;
        Future<?> written;

        Batch(Table table, BufferAllocator allocator, int batchRows) {
            this.root = VectorSchemaRoot.create(Schemas.of(table), allocator);
            List<FieldVector> vectors = root.getFieldVectors();
            int n = vectors.size();
            this.int64 = new BigIntVector[n];
            this.int32 = new IntVector[n];
            this.utf8 = new VarCharVector[n];
            this.stagedInt64 = new long[n][];
            this.stagedCode = new byte[n][];
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
        }
    }

    /** The file writer, with the record-batch write open to a batch of any root. */
    private static final class BatchFileWriter extends ArrowFileWriter {
        BatchFileWriter(VectorSchemaRoot schemaRoot, WritableByteChannel out) {
            super(schemaRoot, null, out);
        }

        void write(ArrowRecordBatch batch) throws IOException {
            writeRecordBatch(batch);
        }
    }

    private TableFileWriter(Table table, Path file, FileChannel channel, BufferAllocator allocator, int batchRows,
                            ExecutorService io) {
        this.table = table;
        this.file = file;
        this.out = new ChecksumChannel(channel);
        this.allocator = allocator;
        this.io = io;
        this.batchRows = batchRows;
        for (int i = 0; i < ROOTS; i++) {
            batches[i] = new Batch(table, allocator, batchRows);
        }
        this.filling = batches[0];
        int n = batches[0].root.getFieldVectors().size();
        this.stagedLabels = new byte[n][][];
        this.zeroIsNull = new boolean[n];
        // No dictionaries; every buffer ZSTD-compressed (TraceFormat 3.0) by this file's own codec and
        // zstd context, which only the writer thread uses.
        this.writer = new BatchFileWriter(filling.root, out);
        this.codec = new TraceCodecs.ZstdWriter(TraceFormat.ZSTD_LEVEL);
    }

    /**
     * Creates the file (it must not exist) and writes the magic and the schema; batches will be
     * written by {@code io}, a single thread.
     */
    public static TableFileWriter create(Path dir, Table table, BufferAllocator parent, int batchRows, ExecutorService io)
            throws IOException {
        Path file = dir.resolve(table.file());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        BufferAllocator allocator = parent.newChildAllocator(table.tableName(), 0, Long.MAX_VALUE);
        TableFileWriter w = new TableFileWriter(table, file, channel, allocator, batchRows, io);
        w.writer.start();
        return w;
    }

    public BigIntVector int64(int column) {
        return filling.int64[column];
    }

    public IntVector int32(int column) {
        return filling.int32[column];
    }

    public VarCharVector utf8(int column) {
        return filling.utf8[column];
    }

    /**
     * A not-null INT64 column filled in a plain array, row by row ({@code [row()]}), and copied into
     * the Arrow vector in one piece when the batch is written: for the tables that take millions of
     * rows a second (dirty runs), where a checked vector write per value is most of the cost. A
     * column is either staged or written through {@link #int64(int)}, not both.
     */
    public long[] stagedInt64(int column) {
        long[][] staged = filling.stagedInt64;
        if (staged[column] == null) {
            staged[column] = new long[batchRows];
        }
        return staged[column];
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
        byte[][] staged = filling.stagedCode;
        if (staged[column] == null) {
            staged[column] = new byte[batchRows];
            stagedLabels[column] = labels;
        }
        return staged[column];
    }

    /**
     * Row-masked staging, for a table whose rows set a few of many nullable columns (events): each
     * row stores its mask of set columns ({@code [row()]}, bit = column ordinal) and its values in
     * {@link #maskedLongs(int)} (INT64, INT32) or {@link #maskedUtf8(int)}; when the batch is
     * written every column is copied in one piece, with validity from the masks and zeros under
     * nulls. A table is staged this way in all its columns or in none.
     */
    public long[] rowMasks() {
        Batch b = filling;
        if (b.rowMasks == null) {
            int n = b.stagedInt64.length;
            b.maskedValues = new long[n][];
            b.maskedUtf8 = new byte[n][][];
            for (int c = 0; c < n; c++) {
                if (b.utf8[c] != null) {
                    b.maskedUtf8[c] = new byte[batchRows][];
                } else {
                    b.maskedValues[c] = new long[batchRows];
                }
            }
            b.rowMasks = new long[batchRows];
        }
        return b.rowMasks;
    }

    /** The row-masked values of an INT64 or INT32 column (see {@link #rowMasks()}). */
    public long[] maskedLongs(int column) {
        return filling.maskedValues[column];
    }

    /** The row-masked UTF-8 values of a UTF8 column (see {@link #rowMasks()}). */
    public byte[][] maskedUtf8(int column) {
        return filling.maskedUtf8[column];
    }

    /** The index of the row being filled in the current batch. */
    public int row() {
        return row;
    }

    /** Counts the row just filled; writes the batch when it is full. */
    public void rowDone() throws IOException {
        rowsDone(1);
    }

    /** How many more rows the batch being filled takes (at least 1). */
    public int roomInBatch() {
        return batchRows - row;
    }

    /** Counts the {@code k} rows just filled (at most {@link #roomInBatch()}); writes the batch when it is full. */
    public void rowsDone(int k) throws IOException {
        row += k;
        if (row == batchRows) {
            writeBatch();
        }
    }

    /** Whether {@code k} more rows fill the batch (their {@link #rowsDone} writes it). */
    public boolean batchFullAfter(int k) {
        return row + k == batchRows;
    }

    /**
     * Hands the rows of the current batch (if any) to the writer thread as one record batch, and
     * goes on filling the next root once its own last batch is in the file.
     */
    public void writeBatch() throws IOException {
        if (row == 0) {
            return;
        }
        Batch full = filling;
        int n = row;
        full.written = io.submit(() -> {
            copyStaged(full, n);
            full.root.setRowCount(n);
            try (ArrowRecordBatch batch = new VectorUnloader(full.root, true, codec, true).getRecordBatch()) {
                writer.write(batch);
            }
            syncInBackground();
            return null;
        });
        rowsWritten += row;
        row = 0;
        filled = (filled + 1) % ROOTS;
        Batch next = batches[filled];
        await(next);
        clearUnstaged(next);
        filling = next;
    }

    /**
     * Resets the vectors the producer writes into directly (their nulls are the zeroed validity
     * bits). A staged column's vector is not zeroed: {@link #copyStaged} rewrites every byte of it the
     * file takes (values, offsets and validity of rows 0..n-1), and zeroing the roots' buffers on
     * every batch was a fifth of the producer's time.
     */
    private static void clearUnstaged(Batch b) {
        List<FieldVector> vectors = b.root.getFieldVectors();
        for (int c = 0; c < vectors.size(); c++) {
            if (b.rowMasks == null && b.stagedInt64[c] == null && b.stagedCode[c] == null) {
                vectors.get(c).reset();
            }
        }
    }

    /**
     * Once {@link #SYNC_BYTES} more are written, has the sync thread {@code fsync} the file (one at a
     * time per file). Its failure is not reported here: {@link #finish()}'s own sync reports it.
     */
    private void syncInBackground() throws IOException {
        long size = out.file().position();
        if (size - syncedAt >= SYNC_BYTES && syncQueued.compareAndSet(false, true)) {
            syncedAt = size;
            Syncs.THREAD.execute(() -> {
                try {
                    out.file().force(false);
                } catch (IOException | RuntimeException e) {
                    // finish() syncs again and reports; a released file is closed: nothing to sync
                } finally {
                    syncQueued.set(false);
                }
            });
        }
    }

    /** Waits until every batch handed over is in the file; the first failure to write one is thrown. */
    public void awaitWritten() throws IOException {
        for (Batch b : batches) {
            await(b);
        }
    }

    private void await(Batch b) throws IOException {
        Future<?> f = b.written;
        if (f == null) {
            return;
        }
        b.written = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while writing " + file);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("writing " + file, cause);
        }
    }

    /** Moves the staged columns' {@code n} rows into their vectors, in bulk. */
    private void copyStaged(Batch b, int n) {
        if (b.rowMasks != null) {
            copyMasked(b, n);
        }
        for (int c = 0; c < b.stagedInt64.length; c++) {
            long[] staged = b.stagedInt64[c];
            if (staged != null) {
                BigIntVector v = b.int64[c];
                putLongs(v.getDataBuffer(), staged, n);
                if (zeroIsNull[c]) {
                    validUnlessZero(v.getValidityBuffer(), staged, n);
                } else {
                    allValid(v.getValidityBuffer(), n);
                }
            }
            if (b.stagedCode[c] != null) {
                copyLabels(b.utf8[c], b.stagedCode[c], stagedLabels[c], n);
            }
        }
    }

    private void copyMasked(Batch batch, int n) {
        long[] rowMasks = batch.rowMasks;
        long[][] maskedValues = batch.maskedValues;
        byte[][][] maskedUtf8 = batch.maskedUtf8;
        long present = 0;
        for (int i = 0; i < n; i++) {
            present |= rowMasks[i];
        }
        for (int c = 0; c < maskedValues.length; c++) {
            long bit = 1L << c;
            if ((present & bit) == 0) {
                nullColumn(batch, c, n);
                continue;
            }
            ArrowBuf validity;
            if (maskedUtf8[c] != null) {
                VarCharVector v = batch.utf8[c];
                byte[][] values = maskedUtf8[c];
                int total = 0;
                for (int i = 0; i < n; i++) {
                    if ((rowMasks[i] & bit) != 0) {
                        total += values[i].length;
                    }
                }
                byte[] data = textScratch(total);
                long offsets = room(v.getOffsetBuffer(), (n + 1L) * 4);
                int at = 0;
                putInt(offsets, 0);
                for (int i = 0; i < n; i++) {
                    if ((rowMasks[i] & bit) != 0) {
                        at = append(data, at, values[i]);
                        values[i] = null;
                    }
                    putInt(offsets + (i + 1) * 4L, at);
                }
                utf8Data(v, n, data, total);
                validity = v.getValidityBuffer();
            } else {
                long[] values = maskedValues[c];
                // no stale value under a null: the file's bytes depend on the rows only
                if (batch.int64[c] != null) {
                    long to = room(batch.int64[c].getDataBuffer(), n * 8L);
                    for (int i = 0; i < n; i++) {
                        putLong(to + i * 8L, (rowMasks[i] & bit) != 0 ? values[i] : 0);
                    }
                    validity = batch.int64[c].getValidityBuffer();
                } else {
                    long to = room(batch.int32[c].getDataBuffer(), n * 4L);
                    for (int i = 0; i < n; i++) {
                        putInt(to + i * 4L, (rowMasks[i] & bit) != 0 ? (int) values[i] : 0);
                    }
                    validity = batch.int32[c].getValidityBuffer();
                }
            }
            validWhere(validity, rowMasks, bit, n);
        }
    }

    /** Column {@code c} null in all {@code n} rows: zeros for its values (or offsets) and validity. */
    private static void nullColumn(Batch batch, int c, int n) {
        ArrowBuf validity;
        if (batch.utf8[c] != null) {
            VarCharVector v = batch.utf8[c];
            v.getOffsetBuffer().setZero(0, (n + 1L) * 4);
            v.setLastSet(n - 1);
            validity = v.getValidityBuffer();
        } else if (batch.int64[c] != null) {
            ArrowBuf data = batch.int64[c].getDataBuffer();
            data.setZero(0, n * 8L);
            validity = batch.int64[c].getValidityBuffer();
        } else {
            ArrowBuf data = batch.int32[c].getDataBuffer();
            data.setZero(0, n * 4L);
            validity = batch.int32[c].getValidityBuffer();
        }
        validity.setZero(0, (n + 7) >>> 3);
    }

    /**
     * The address of {@code buf}'s first byte, once it is known to hold {@code bytes}: the copies
     * below write the vectors' memory directly, so every write is checked here, once per buffer.
     */
    private static long room(ArrowBuf buf, long bytes) {
        if (buf.capacity() < bytes) {
            throw new IllegalStateException("a batch buffer of " + buf.capacity() + " bytes cannot hold " + bytes);
        }
        return buf.memoryAddress();
    }

    /** A little-endian u64 at {@code address} (Arrow's buffers are little-endian, as the file). */
    private static void putLong(long address, long value) {
        MemoryUtil.putLong(address, MemoryUtil.LITTLE_ENDIAN ? value : Long.reverseBytes(value));
    }

    /** A little-endian s32 at {@code address}. */
    private static void putInt(long address, int value) {
        MemoryUtil.putInt(address, MemoryUtil.LITTLE_ENDIAN ? value : Integer.reverseBytes(value));
    }

    /** {@code values[0..n)} as little-endian u64 into {@code buf} from its start. */
    private static void putLongs(ArrowBuf buf, long[] values, int n) {
        long to = room(buf, n * 8L);
        for (int i = 0; i < n; i++) {
            putLong(to + i * 8L, values[i]);
        }
    }

    /** The text bytes of a column (the writer thread's). */
    private byte[] textScratch(int bytes) {
        if (textScratch.length < bytes) {
            textScratch = new byte[Math.max(bytes, textScratch.length * 2)];
        }
        return textScratch;
    }

    /**
     * A label column's {@code n} values, written straight into the vector: a label of up to 8 bytes
     * (every one the trace has: {@code bitmap}, {@code cpu_write}, ...) as one 8-byte store whose
     * bytes past the label the next one overwrites (the file takes the data up to the last offset
     * only), a longer one by a copy.
     */
    private static void copyLabels(VarCharVector v, byte[] codes, byte[][] labels, int n) {
        long[] words = new long[labels.length];
        long total = 0;
        for (int l = 0; l < labels.length; l++) {
            byte[] label = labels[l];
            for (int k = Math.min(label.length, 8) - 1; k >= 0; k--) {
                words[l] = words[l] << 8 | (label[k] & 0xFFL);
            }
        }
        for (int i = 0; i < n; i++) {
            total += labels[codes[i]].length;
        }
        while (v.getDataBuffer().capacity() < total + 8) {
            v.reallocDataBuffer();
        }
        long data = v.getDataBuffer().memoryAddress();
        long offsets = room(v.getOffsetBuffer(), (n + 1L) * 4);
        int at = 0;
        putInt(offsets, 0);
        for (int i = 0; i < n; i++) {
            int code = codes[i];
            int len = labels[code].length;
            if (len <= 8) {
                putLong(data + at, words[code]);
            } else {
                v.getDataBuffer().setBytes(at, labels[code], 0, len);
            }
            at += len;
            putInt(offsets + (i + 1) * 4L, at);
        }
        v.setLastSet(n - 1);
        allValid(v.getValidityBuffer(), n);
    }

    /** {@code value} into {@code data} at {@code at}; returns the index after it (short values by a loop, not a call). */
    private static int append(byte[] data, int at, byte[] value) {
        int len = value.length;
        if (len <= 16) {
            for (int k = 0; k < len; k++) {
                data[at + k] = value[k];
            }
        } else {
            System.arraycopy(value, 0, data, at, len);
        }
        return at + len;
    }

    /** A UTF8 vector's {@code n} values, their offsets already in place: {@code total} bytes of {@code data}, in one copy. */
    private static void utf8Data(VarCharVector v, int n, byte[] data, int total) {
        while (v.getDataBuffer().capacity() < total) {
            v.reallocDataBuffer();
        }
        v.getDataBuffer().setBytes(0, data, 0, total);
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
        validWhere(validity, values, -1L, n);
    }

    /** Sets the validity bit of each row i in 0..n-1 where {@code words[i] & bits} is not 0, clears the others. */
    private static void validWhere(ArrowBuf validity, long[] words, long bits, int n) {
        long to = room(validity, (n + 7) >>> 3);
        for (int i = 0; i < n; i += 8) {
            int b = 0;
            for (int j = 0; j < 8 && i + j < n; j++) {
                if ((words[i + j] & bits) != 0) {
                    b |= 1 << j;
                }
            }
            MemoryUtil.putByte(to + (i >>> 3), (byte) b);
        }
    }

    /** Writes the last batch and the footer, syncs and closes the file; returns its manifest entry. */
    public TableInfo finish() throws IOException {
        writeBatch();
        awaitWritten();
        writer.end();
        out.file().force(true);
        TableInfo info = new TableInfo(table.tableName(), table.file(), rowsWritten, null, out.crc32cHex());
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
            for (Batch b : batches) {
                try {
                    await(b);
                } catch (IOException | RuntimeException e) {
                    // closing anyway: the failure was or will be reported by the caller's own path
                }
                b.root.close();
            }
            allocator.close();
        } finally {
            codec.close();
            out.close();
        }
    }

    public Path file() {
        return file;
    }
}
