package org.migtrace.trace.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.compression.AbstractCompressionCodec;
import org.apache.arrow.vector.compression.CompressionCodec;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.migtrace.trace.BatchCodecs;

/**
 * The codecs of trace files: the writer's ({@link ZstdWriter}) and a reader's ({@link Reader}). A
 * compressed buffer starts with the length it decompresses to, which Arrow's own codec takes on
 * trust (it allocates that much first): here a length no zstd frame of the buffer's size can
 * decompress to is refused before anything is allocated, so a damaged file is an error, never an
 * allocation of petabytes.
 */
public final class TraceCodecs {
    /**
     * The most a zstd frame decompresses to per byte of it: a block holds at most 128 KiB and takes
     * at least 4 bytes (an RLE block: 3 bytes of header, the byte repeated).
     */
    static final long MAX_ZSTD_RATIO = (128 << 10) / 4;

    private TraceCodecs() {
    }

    /**
     * The writer's codec: ZSTD at {@code level} through one compression context, reused buffer after
     * buffer (Arrow's codec has zstd set up and tear down a context per buffer: some 90 per batch of
     * events). One thread at a time; {@link #close()} frees the context.
     */
    static final class ZstdWriter extends AbstractCompressionCodec implements AutoCloseable {
        private final ZstdCompressCtx ctx;

        ZstdWriter(int level) {
            ctx = new ZstdCompressCtx().setLevel(level);
        }

        @Override
        protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf raw) {
            long n = raw.writerIndex();
            long bound = Zstd.compressBound(n);
            if (bound > Integer.MAX_VALUE - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH) {
                throw new IllegalStateException("a " + n + "-byte buffer is larger than a batch's buffer can be");
            }
            ArrowBuf out = allocator.buffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH + bound);
            int written;
            try {
                written = ctx.compressDirectByteBuffer(
                        out.nioBuffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, (int) bound), 0, (int) bound,
                        raw.nioBuffer(0, (int) n), 0, (int) n);
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
            writeUncompressedLength(out, n);
            out.writerIndex(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH + written);
            return out;
        }

        @Override
        protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
            throw new UnsupportedOperationException("the writer's codec does not decompress");
        }

        @Override
        public CompressionUtil.CodecType getCodecType() {
            return CompressionUtil.CodecType.ZSTD;
        }

        @Override
        public void close() {
            ctx.close();
        }
    }

    /**
     * A reader's codecs ({@link org.migtrace.trace.TraceFormat#readerCodecs()}): none, and ZSTD through
     * one decompression context, reused buffer after buffer and batch after batch (zstd otherwise
     * builds one per buffer); any other codec is refused.
     */
    public static final class Reader implements BatchCodecs {
        private final ZstdReader zstd = new ZstdReader();

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType) {
            return switch (codecType) {
                case NO_COMPRESSION -> NoCompressionCodec.INSTANCE;
                case ZSTD -> zstd;
                default -> throw new IllegalArgumentException("record batches compressed with " + codecType
                        + ": the format's batches are uncompressed (1.x, 2.x) or ZSTD per buffer (3.x)");
            };
        }

        @Override
        public CompressionCodec createCodec(CompressionUtil.CodecType codecType, int compressionLevel) {
            return createCodec(codecType);
        }

        @Override
        public void close() {
            zstd.ctx.close();
        }
    }

    private static final class ZstdReader extends AbstractCompressionCodec {
        private final ZstdDecompressCtx ctx = new ZstdDecompressCtx();

        @Override
        protected ArrowBuf doCompress(BufferAllocator allocator, ArrowBuf raw) {
            throw new UnsupportedOperationException("a reader's codec does not compress");
        }

        @Override
        protected ArrowBuf doDecompress(BufferAllocator allocator, ArrowBuf compressed) {
            long frame = compressed.writerIndex() - CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH;
            long declared = readUncompressedLength(compressed);
            if (declared < 0 || declared > Integer.MAX_VALUE || frame > Integer.MAX_VALUE
                    || declared > frame * MAX_ZSTD_RATIO) {
                throw new IllegalStateException("a " + frame + "-byte zstd buffer says it decompresses to "
                        + declared + " bytes");
            }
            ArrowBuf out = allocator.buffer(declared);
            try {
                int n = ctx.decompressDirectByteBuffer(out.nioBuffer(0, (int) declared), 0, (int) declared,
                        compressed.nioBuffer(CompressionUtil.SIZE_OF_UNCOMPRESSED_LENGTH, (int) frame), 0, (int) frame);
                if (n != declared) {
                    throw new IllegalStateException("a zstd buffer decompressed to " + n + " bytes, not the "
                            + declared + " it says");
                }
            } catch (RuntimeException e) {
                out.close();
                throw e;
            }
            out.writerIndex(declared);
            return out;
        }

        @Override
        public CompressionUtil.CodecType getCodecType() {
            return CompressionUtil.CodecType.ZSTD;
        }
    }
}
