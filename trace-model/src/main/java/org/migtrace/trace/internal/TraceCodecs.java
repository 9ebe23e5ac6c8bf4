package org.migtrace.trace.internal;

import org.apache.arrow.compression.ZstdCompressionCodec;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;

/**
 * The codecs trace files are read with: none (1.x, 2.x) and ZSTD (3.x). A compressed buffer starts
 * with the length it decompresses to, which is taken on trust by Arrow's codec (it allocates that
 * much first): here a length no zstd frame of the buffer's size can decompress to is refused before
 * anything is allocated, so a damaged file is an error, never an allocation of petabytes.
 */
public final class TraceCodecs implements CompressionCodec.Factory {
    public static final TraceCodecs INSTANCE = new TraceCodecs();

    /**
     * The most a zstd frame decompresses to per byte of it: a block holds at most 128 KiB and takes
     * at least 4 bytes (an RLE block: 3 bytes of header, the byte repeated).
     */
    static final long MAX_ZSTD_RATIO = (128 << 10) / 4;

    private static final CompressionCodec ZSTD = new CheckedZstd();

    private TraceCodecs() {
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
        return switch (codecType) {
            case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
            case ZSTD -> ZSTD;
            default -> throw new IllegalArgumentException("record batches compressed with " + codecType
                    + ": the format's batches are uncompressed (1.x, 2.x) or ZSTD per buffer (3.x)");
        };
    }

    @Override
    public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
        return createCodec(codecType);
    }

    /** Arrow's ZSTD codec, with the declared length checked against what the frame could hold. */
    private static final class CheckedZstd extends ZstdCompressionCodec {
        @Override
        protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
            long frame = compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
            long declared = readUncompressedLength(compressed);
            if (declared < 0 || declared > Integer.MAX_VALUE || declared > frame * MAX_ZSTD_RATIO) {
                throw new IllegalStateException("a " + frame + "-byte zstd buffer says it decompresses to "
                        + declared + " bytes");
            }
            return super.doDecompress(allocator, compressed);
        }
    }
}
