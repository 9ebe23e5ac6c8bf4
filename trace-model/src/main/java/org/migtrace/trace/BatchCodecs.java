package org.migtrace.trace;

import org.apache.arrow.vector.compression.CompressionCodec;

/**
 * The codecs one reader of trace files loads record batches with ({@link TraceFormat#readerCodecs()}):
 * none for 1.x and 2.x files, ZSTD for 3.x, through one zstd context that {@link #close()} frees. Used
 * by one thread at a time.
 */
public interface BatchCodecs extends CompressionCodec.Factory, AutoCloseable {
    @Override
    void close();
}
