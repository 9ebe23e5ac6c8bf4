package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.BodyCompression;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;
import org.migtrace.trace.BadTraceException;

/**
 * Walks an Arrow IPC file's framing without decoding rows. The file format is the 8-byte magic
 * ({@code ARROW1} and two padding bytes), then IPC stream messages (the schema, record batches, an
 * end-of-stream marker), then the footer (a flatbuffer, its int32 length and {@code ARROW1}). Each
 * message is a 0xFFFFFFFF marker, an int32 metadata length, the flatbuffer {@code Message} and a
 * body of {@code bodyLength} bytes.
 *
 * <p>A file that simply ends — after a complete message, or inside one — is <em>unfinished</em>:
 * the writer was stopped, and every complete batch before the end is intact. Anything that is not
 * Arrow framing (a wrong magic or marker, unreadable metadata, a body that overruns its own
 * buffers, a footer that does not list the batches found) is corrupt and reported with its offset.
 */
public final class IpcScanner {

    private static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 8;
    private static final int MAX_METADATA = 16 << 20;

    private final Path file;
    private final FileChannel channel;
    private final long size;

    private IpcScanner(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    /** Scans {@code file} (open as {@code channel}). */
    public static TableIndex scan(Path file, FileChannel channel) throws IOException, BadTraceException {
        return new IpcScanner(file, channel).scan();
    }

    private TableIndex scan() throws IOException, BadTraceException {
        ByteBuffer head = read(0, (int) Math.min(HEADER, size));
        checkMagic(head);
        if (size < HEADER) {
            return cut(null, List.of(), 0, 0, "ends inside the 8-byte file header");
        }
        long pos = HEADER;
        Schema schema = null;
        List<TableIndex.Batch> batches = new ArrayList<>();
        long rows = 0;
        while (true) {
            long remaining = size - pos;
            if (remaining < 8) {
                return cut(schema, batches, rows, pos, remaining == 0
                        ? "ends after a complete message, without end-of-stream marker and footer"
                        : "ends inside a message prefix");
            }
            ByteBuffer prefix = read(pos, 8);
            int marker = prefix.getInt(0);
            int metadataLength = prefix.getInt(4);
            if (marker != -1) {
                throw corrupt(pos, String.format("expected a message marker 0xFFFFFFFF, found 0x%08X", marker));
            }
            if (metadataLength == 0) {
                if (schema == null) {
                    throw corrupt(pos, "end-of-stream marker before the schema");
                }
                return footer(schema, batches, rows, pos + 8);
            }
            if (metadataLength < 0 || metadataLength > MAX_METADATA) {
                throw corrupt(pos, "impossible message metadata length " + metadataLength);
            }
            if (remaining < 8L + metadataLength) {
                return cut(schema, batches, rows, pos, "ends inside a message's metadata");
            }
            Message message = message(pos, read(pos + 8, metadataLength));
            long body = message.bodyLength();
            if (body < 0) {
                throw corrupt(pos, "negative message body length " + body);
            }
            if (remaining - 8 - metadataLength < body) {
                return cut(schema, batches, rows, pos, "ends inside a "
                        + (message.headerType() == MessageHeader.RecordBatch ? "record batch" : "message") + " ("
                        + (8 + metadataLength + body) + " bytes, " + remaining + " present)");
            }
            switch (message.headerType()) {
                case MessageHeader.Schema -> {
                    if (schema != null) {
                        throw corrupt(pos, "a second schema message");
                    }
                    schema = schema(pos, message);
                }
                case MessageHeader.RecordBatch -> {
                    if (schema == null) {
                        throw corrupt(pos, "record batch before the schema");
                    }
                    int n = batchRows(pos, message, body);
                    batches.add(new TableIndex.Batch(pos, 8 + metadataLength, body, n));
                    rows += n;
                }
                case MessageHeader.DictionaryBatch -> throw corrupt(pos,
                        "dictionary batch: the format stores plain values, never dictionaries");
                default -> throw corrupt(pos, "unknown message type " + message.headerType());
            }
            pos += 8L + metadataLength + body;
        }
    }

    private void checkMagic(ByteBuffer head) throws BadTraceException {
        byte[] bytes = new byte[head.remaining()];
        head.get(0, bytes);
        int n = Math.min(bytes.length, MAGIC.length);
        if (!Arrays.equals(bytes, 0, n, MAGIC, 0, n)) {
            boolean stream = bytes.length >= 4 && head.getInt(0) == -1;
            throw corrupt(0, stream ? "an Arrow IPC stream, not an IPC file (no ARROW1 magic)"
                    : "not an Arrow IPC file (the file does not start with ARROW1)");
        }
    }

    private Message message(long pos, ByteBuffer metadata) throws BadTraceException {
        try {
            Message m = Message.getRootAsMessage(metadata);
            m.headerType();
            m.bodyLength();
            return m;
        } catch (RuntimeException e) {
            throw corrupt(pos, "unreadable message metadata (" + e + ")");
        }
    }

    private Schema schema(long pos, Message message) throws BadTraceException {
        try {
            return MessageSerializer.deserializeSchema(message);
        } catch (RuntimeException e) {
            throw corrupt(pos, "unreadable schema (" + e + ")");
        }
    }

    private static String codecName(byte codec) {
        return codec >= 0 && codec < CompressionType.names.length ? CompressionType.name(codec) : "codec " + codec;
    }

    private int batchRows(long pos, Message message, long body) throws BadTraceException {
        try {
            RecordBatch rb = (RecordBatch) message.header(new RecordBatch());
            BodyCompression c = rb.compression();
            if (c != null && (c.codec() != CompressionType.ZSTD || c.method() != BodyCompressionMethod.BUFFER)) {
                throw corrupt(pos, "record batch compressed with " + codecName(c.codec()) + " (method " + c.method()
                        + "): the format's batches are uncompressed (1.x, 2.x) or ZSTD per buffer (3.x)");
            }
            long length = rb.length();
            if (length < 0 || length > Integer.MAX_VALUE) {
                throw corrupt(pos, "impossible record batch length " + length);
            }
            FieldNode node = new FieldNode();
            for (int i = 0; i < rb.nodesLength(); i++) {
                rb.nodes(node, i);
                if (node.length() < 0 || node.length() > Integer.MAX_VALUE || node.nullCount() < 0
                        || node.nullCount() > node.length()) {
                    throw corrupt(pos, "field node " + i + " has length " + node.length() + " and null count "
                            + node.nullCount());
                }
            }
            Buffer b = new Buffer();
            for (int i = 0; i < rb.buffersLength(); i++) {
                rb.buffers(b, i);
                if (b.offset() < 0 || b.length() < 0 || b.offset() + b.length() > body) {
                    throw corrupt(pos, "buffer " + i + " (offset " + b.offset() + ", length " + b.length()
                            + ") lies outside the " + body + "-byte body");
                }
            }
            return (int) length;
        } catch (RuntimeException e) {
            throw corrupt(pos, "unreadable record batch metadata (" + e + ")");
        }
    }

    /** After the end-of-stream marker: the footer, its length and the closing magic. */
    private TableIndex footer(Schema schema, List<TableIndex.Batch> batches, long rows, long pos)
            throws IOException, BadTraceException {
        long remaining = size - pos;
        if (remaining < 4 + MAGIC.length) {
            return cut(schema, batches, rows, pos, "ends inside its footer");
        }
        ByteBuffer tail = read(size - 4 - MAGIC.length, 4 + MAGIC.length);
        byte[] magic = new byte[MAGIC.length];
        tail.get(4, magic);
        if (!Arrays.equals(magic, MAGIC)) {
            return cut(schema, batches, rows, pos, "ends inside its footer");
        }
        int footerLength = tail.getInt(0);
        if (footerLength < 0 || pos + footerLength + 4 + MAGIC.length != size) {
            throw corrupt(size - 4 - MAGIC.length, "footer length " + footerLength + " does not fit the "
                    + (remaining - 4 - MAGIC.length) + " bytes between the end-of-stream marker and the length");
        }
        try {
            Footer footer = Footer.getRootAsFooter(read(pos, footerLength));
            if (footer.recordBatchesLength() != batches.size()) {
                throw corrupt(pos, "the footer lists " + footer.recordBatchesLength() + " record batches, the file holds "
                        + batches.size());
            }
            Block block = new Block();
            for (int i = 0; i < batches.size(); i++) {
                footer.recordBatches(block, i);
                TableIndex.Batch b = batches.get(i);
                if (block.offset() != b.offset() || block.metaDataLength() != b.metadataLength()
                        || block.bodyLength() != b.bodyLength()) {
                    throw corrupt(pos, "the footer's record batch " + i + " (offset " + block.offset()
                            + ") is not the one in the file (offset " + b.offset() + ")");
                }
            }
        } catch (RuntimeException e) {
            throw corrupt(pos, "unreadable footer (" + e + ")");
        }
        return new TableIndex(file, schema, List.copyOf(batches), rows, size, true, pos, null);
    }

    private TableIndex cut(Schema schema, List<TableIndex.Batch> batches, long rows, long at, String how) {
        return new TableIndex(file, schema, List.copyOf(batches), rows, size, false, at,
                how + " at offset " + at + (size > at ? " (" + (size - at) + " bytes after it ignored)" : ""));
    }

    private BadTraceException corrupt(long offset, String message) {
        return BadTraceException.atOffset(file, offset, message);
    }

    private ByteBuffer read(long pos, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buf.hasRemaining()) {
            if (channel.read(buf, pos + buf.position()) < 0) {
                throw new IOException(file + ": shorter than its size while reading at offset " + pos);
            }
        }
        return buf.flip();
    }
}
