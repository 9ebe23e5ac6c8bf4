package org.migtrace.sim.internal.vendor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.migtrace.uapi.StructLayout;

/**
 * The stream format of the mlx5-vf and mdev-pin models: a sequence of records, each a 24-byte
 * little-endian header followed by {@code length} payload bytes.
 * <pre>
 * struct mt_dev_record {
 *     __le64 magic;     // MAGIC, the ASCII bytes "MTDEVIM1"
 *     __le32 model_id;  // the source device's model id (PCI device id); the destination checks it
 *     __le16 tag;       // TAG_SIZE, TAG_FULL or TAG_INCREMENTAL
 *     __le16 flags;     // FLAG_LAST: the final record of the stream
 *     __le64 length;    // payload bytes that follow the header
 * };
 * </pre>
 * A stream opens with a {@link #TAG_SIZE} record whose 8-byte payload declares the source's full
 * state image length S (mlx5 sends the same announcement, its {@code STOP_COPY_SIZE} record, so
 * the destination can size its buffers), then image records: {@link #TAG_FULL} (a whole image or
 * the initial pre-copy image) and {@link #TAG_INCREMENTAL} (what changed since the previous one).
 * The last record carries {@link #FLAG_LAST}. Image payload is the device's opaque state; it is not
 * modelled beyond its length (readers see zeros). The layout follows mlx5's
 * {@code struct mlx5_vf_migration_header} (size, flags, tag) with a magic and a model id added so a
 * destination can tell a foreign or corrupt stream.
 */
final class RecordFormat {
    static final StructLayout RECORD = StructLayout.struct("mt_dev_record")
            .u64("magic").u32("model_id").u16("tag").u16("flags").u64("length").build();
    static final int HEADER_SIZE = RECORD.size();
    /** "MTDEVIM1" in memory order. */
    static final long MAGIC = 0x314D49564544544DL;
    static final int TAG_SIZE = 1;
    static final int TAG_FULL = 2;
    static final int TAG_INCREMENTAL = 3;
    static final int FLAG_LAST = 1;
    /** Payload of a {@link #TAG_SIZE} record. */
    static final int SIZE_PAYLOAD = 8;

    private RecordFormat() {
    }

    static byte[] header(int modelId, int tag, int flags, long length) {
        byte[] h = new byte[HEADER_SIZE];
        RECORD.field("magic").put(h, 0, MAGIC);
        RECORD.field("model_id").put(h, 0, modelId);
        RECORD.field("tag").put(h, 0, tag);
        RECORD.field("flags").put(h, 0, flags);
        RECORD.field("length").put(h, 0, length);
        return h;
    }

    /** Appends the size announcement: a {@link #TAG_SIZE} record declaring {@code imageBytes}. */
    static void appendSize(SaveStream s, int modelId, long imageBytes) {
        s.append(header(modelId, TAG_SIZE, 0, SIZE_PAYLOAD));
        s.append(ByteBuffer.allocate(SIZE_PAYLOAD).order(ByteOrder.LITTLE_ENDIAN).putLong(0, imageBytes).array());
    }

    /**
     * Appends an image of {@code bytes} as records of at most {@code maxRecord} payload bytes each
     * (mlx5 in chunk mode cuts images into {@code MAX_CHUNK_SIZE} pieces); only the final one
     * carries {@link #FLAG_LAST} when {@code last}. Returns the bytes appended, headers included.
     */
    static long appendImage(SaveStream s, int modelId, int tag, boolean last, long bytes, long maxRecord) {
        long before = s.end();
        long left = bytes;
        do {
            long len = Math.min(left, maxRecord);
            left -= len;
            s.append(header(modelId, tag, last && left == 0 ? FLAG_LAST : 0, len));
            s.appendPayload(len);
        } while (left > 0);
        return s.end() - before;
    }

    /** Stream bytes an image of {@code bytes} takes. */
    static long framed(long bytes, long maxRecord) {
        long records = bytes == 0 ? 1 : (bytes - 1) / maxRecord + 1;
        return bytes + records * HEADER_SIZE;
    }

    // ---- save-side sessions on a SaveFile

    /** Opens a pre-copy stream: the size announcement, then the initial image (marked as initial data). */
    static void openPreCopy(SaveFile f, int modelId, long stateBytes, long initialBytes, long maxRecord) {
        appendSize(f.stream(), modelId, stateBytes);
        appendImage(f.stream(), modelId, TAG_FULL, false, initialBytes, maxRecord);
        f.markInitialEnd();
    }

    /** A complete stop-copy stream of the whole state (STOP→STOP_COPY). */
    static void writeFull(SaveFile f, int modelId, long stateBytes, long maxRecord) {
        appendSize(f.stream(), modelId, stateBytes);
        appendImage(f.stream(), modelId, TAG_FULL, true, stateBytes, maxRecord);
        f.markComplete();
    }

    /** An incremental image cut during pre-copy. */
    static void appendIncrement(SaveFile f, int modelId, long bytes, long maxRecord) {
        appendImage(f.stream(), modelId, TAG_INCREMENTAL, false, bytes, maxRecord);
    }

    /** The final incremental image when PRE_COPY(_P2P) goes to STOP_COPY. */
    static void finish(SaveFile f, int modelId, long bytes, long maxRecord) {
        appendImage(f.stream(), modelId, TAG_INCREMENTAL, true, bytes, maxRecord);
        f.markComplete();
    }
}
