package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import org.migtrace.trace.FileChecksum;

/**
 * A file channel that checksums what goes through it ({@link FileChecksum#CRC32C}), so that a
 * table's checksum needs no second read.
 */
final class ChecksumChannel implements WritableByteChannel {

    private final FileChannel channel;
    private final FileChecksum.Running checksum = FileChecksum.CRC32C.start();

    ChecksumChannel(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ByteBuffer written = src.duplicate();
        int n = channel.write(src);
        written.limit(written.position() + n);
        checksum.update(written);
        return n;
    }

    /** The hex CRC-32C of everything written; call once, at the end. */
    String crc32cHex() {
        return checksum.hex();
    }

    FileChannel file() {
        return channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
