package org.migtrace.recorder.importer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Where an importer's bytes come from, and the name errors give it: a file (gzip-compressed or not,
 * told by its first two bytes, whatever its name), standard input ({@code <stdin>}), or a stream
 * someone else opened (a live capture's pipe). Importers read a source once, from the start, and
 * never seek, so every source streams: memory does not grow with the input.
 */
public final class ImportSource {
    private static final int GZIP_MAGIC = 0x8b1f;

    /** Opens the bytes; called once. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    private final String name;
    private final Opener opener;

    private ImportSource(String name, Opener opener) {
        this.name = Objects.requireNonNull(name, "name");
        this.opener = Objects.requireNonNull(opener, "opener");
    }

    /** A file; {@code -} means standard input. */
    public static ImportSource of(String fileOrDash, InputStream stdin) {
        return "-".equals(fileOrDash) ? stdin(stdin) : file(Path.of(fileOrDash));
    }

    /** A file, decompressed on the fly when it is gzip. */
    public static ImportSource file(Path file) {
        return new ImportSource(file.toString(), () -> Files.newInputStream(file));
    }

    /** Standard input (which the caller passes: library code does not reach for {@code System.in}). */
    public static ImportSource stdin(InputStream in) {
        return new ImportSource("<stdin>", () -> in);
    }

    /** A stream opened elsewhere (a pipe from a process), named {@code name} in messages. */
    public static ImportSource stream(String name, InputStream in) {
        return new ImportSource(name, () -> in);
    }

    /** The name messages use: the path as given, {@code <stdin>}, or the stream's name. */
    public String name() {
        return name;
    }

    /** The bytes, buffered, gunzipped when they start with gzip's magic. */
    public InputStream open() throws IOException {
        BufferedInputStream in = new BufferedInputStream(opener.open(), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 >= 0 && b1 >= 0 && (b0 | b1 << 8) == GZIP_MAGIC) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }

    @Override
    public String toString() {
        return name;
    }
}
