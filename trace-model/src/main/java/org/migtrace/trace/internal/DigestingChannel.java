package org.migtrace.trace.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file channel that hashes what goes through it, so that a table's SHA-256 needs no second read. */
final class DigestingChannel implements WritableByteChannel {

    private final FileChannel channel;
    private final MessageDigest sha256;

    DigestingChannel(FileChannel channel) {
        this.channel = channel;
        this.sha256 = newSha256();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        ByteBuffer written = src.duplicate();
        int n = channel.write(src);
        written.limit(written.position() + n);
        sha256.update(written);
        return n;
    }

    /** The hex SHA-256 of everything written; call once, at the end. */
    String sha256Hex() {
        return HexFormat.of().formatHex(sha256.digest());
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
