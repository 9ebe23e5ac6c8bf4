package org.migtrace.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The checksums a manifest gives a table file ({@code crc32c}, {@code sha256}: the keys of
 * {@link Manifest.TableInfo}). Writers of format 2.1 and
 * later write {@link #CRC32C}: it catches any changed byte, any burst of up to 32 and any other
 * change but one in 2^32, at about 15 GB/s (a CPU instruction), where SHA-256 hashed 1.3 GB/s with
 * SHA-NI and took a tenth of an import's CPU. Earlier writers wrote {@link #SHA256}; both are
 * checked where a manifest has them.
 */
public enum FileChecksum {
    /** CRC-32C (Castagnoli) of the whole file, 8 lower-case hex digits. */
    CRC32C("CRC-32C"),
    /** SHA-256 of the whole file, 64 lower-case hex digits (format 1.0 to 2.0). */
    SHA256("SHA-256");

    private final String title;

    FileChecksum(String title) {
        this.title = title;
    }

    /** How messages name it. */
    public String title() {
        return title;
    }

    /** A running checksum: the bytes given, in order. */
    public interface Running {
        void update(ByteBuffer bytes);

        /** The hex checksum of everything given; call once, at the end. */
        String hex();
    }

    public Running start() {
        return switch (this) {
            case CRC32C -> new Running() {
                private final CRC32C crc = new CRC32C();

                @Override
                public void update(ByteBuffer bytes) {
                    crc.update(bytes);
                }

                @Override
                public String hex() {
                    return HexFormat.of().toHexDigits((int) crc.getValue());
                }
            };
            case SHA256 -> new Running() {
                private final MessageDigest sha256 = sha256();

                @Override
                public void update(ByteBuffer bytes) {
                    sha256.update(bytes);
                }

                @Override
                public String hex() {
                    return HexFormat.of().formatHex(sha256.digest());
                }
            };
        };
    }

    /** The hex checksum of a whole file. */
    public String of(Path file) throws IOException {
        Running r = start();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                r.update(buf);
                buf.clear();
            }
        }
        return r.hex();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
