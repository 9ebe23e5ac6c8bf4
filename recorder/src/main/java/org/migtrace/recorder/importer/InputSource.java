package org.migtrace.recorder.importer;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.migtrace.trace.WorkProgress;

/**
 * An importer's input: a file, standard input, or a stream opened elsewhere (a live capture's pipe),
 * gzip-compressed or not (told by the bytes, not the name, so {@code zcat}-less pipes and
 * {@code .log.gz} files both work). Read once, from the start, never seeking: memory does not grow
 * with the input. Text importers read {@link #open() lines} (UTF-8; bytes that are not UTF-8 become
 * U+FFFD rather than errors: a log is evidence, and one bad byte should not lose the rest); the
 * bpftrace importer reads the {@link #bytes() bytes} with a JSON parser.
 */
public final class InputSource {

    /** Opens the raw bytes. */
    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }

    /** Lines longer than this are cut here (and reported as cut): memory stays bounded on any input. */
    public static final int MAX_LINE = 1 << 20;

    private static final String STDIN = "<stdin>";

    private final String name;
    private final Opener opener;
    private final boolean closeStream;
    /** The file read, or null for a stream (whose size is not known up front). */
    private final Path file;
    private final WorkProgress progress;

    private InputSource(String name, Opener opener, boolean closeStream) {
        this(name, opener, closeStream, null, WorkProgress.NONE);
    }

    private InputSource(String name, Opener opener, boolean closeStream, Path file, WorkProgress progress) {
        this.name = name;
        this.opener = opener;
        this.closeStream = closeStream;
        this.file = file;
        this.progress = progress;
    }

    /** A file (compressed or not). */
    public static InputSource file(Path path) {
        return new InputSource(path.toString(), () -> Files.newInputStream(path), true, path, WorkProgress.NONE);
    }

    /**
     * This input, telling {@code to} how many of the file's bytes were read so far of its size (the
     * bytes as stored, before decompression) as reading goes on, once per buffer filled. A stream's
     * size is not known up front: for standard input and streams this is the input unchanged.
     */
    public InputSource reporting(WorkProgress to) {
        return file == null ? this : new InputSource(name, opener, closeStream, file, to);
    }

    /** Standard input, named {@code <stdin>} in messages; left open when reading ends. */
    public static InputSource stdin() {
        return new InputSource(STDIN, () -> System.in, false);
    }

    /** {@code file} or {@code -} for standard input, as a command line says it. */
    public static InputSource of(String fileOrDash) {
        return "-".equals(fileOrDash) ? stdin() : file(Path.of(fileOrDash));
    }

    /** Any stream, named {@code name} in messages (tests, resources). */
    public static InputSource of(String name, Opener opener) {
        return new InputSource(name, opener, true);
    }

    /** A stream opened elsewhere (a pipe from a process), named {@code name} in messages; closed when reading ends. */
    public static InputSource stream(String name, InputStream in) {
        return new InputSource(name, () -> in, true);
    }

    /** The input's name for messages: the path as given, {@code <stdin>}, or the stream's name. */
    public String name() {
        return name;
    }

    /** {@link #name()} as a path, for {@link org.migtrace.trace.BadTraceException}. */
    public Path path() {
        return Path.of(name);
    }

    /** Opens the input for reading lines, decompressing it when it starts with the gzip magic. */
    public Lines open() throws IOException {
        return new Lines(new InputStreamReader(bytes(), StandardCharsets.UTF_8));
    }

    /** Opens the input's bytes, buffered, decompressed when they start with the gzip magic. */
    public InputStream bytes() throws IOException {
        InputStream raw = progress == WorkProgress.NONE ? opener.open()
                : new Counting(opener.open(), Files.size(file), progress);
        InputStream in = new BufferedInputStream(closeStream ? raw : new FilterInputStream(raw) {
            @Override
            public void close() {
                // standard input belongs to the process
            }
        }, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            in = new BufferedInputStream(new Gunzip(in), 1 << 16);
        }
        return in;
    }

    /**
     * The gzip layer, saying that no byte waits in it ({@link GZIPInputStream} says 1 until its end):
     * inflating more may wait on the compressed stream, a pipe, and a reader that asks
     * {@link InputStream#available()} whether its next read may block (the bpftrace import, which hands
     * over what it parsed before such a read) must not be told it will not. What is inflated already,
     * in the buffer above, still counts as waiting.
     */
    private static final class Gunzip extends GZIPInputStream {
        Gunzip(InputStream in) throws IOException {
            super(in, 1 << 16);
        }

        @Override
        public int available() {
            return 0;
        }
    }

    /** Tells a {@link WorkProgress} how many bytes went through, of {@code total}. */
    private static final class Counting extends FilterInputStream {
        private final long total;
        private final WorkProgress progress;
        private long read;

        Counting(InputStream in, long total, WorkProgress progress) {
            super(in);
            this.total = total;
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.done(++read, Math.max(total, read));
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                read += n;
                progress.done(read, Math.max(total, read)); // a file still growing reads past its size
            }
            return n;
        }
    }

    /**
     * The lines of an input, without their terminator ({@code \n}, {@code \r\n}); a last line
     * without a newline counts. Not thread-safe.
     */
    public static final class Lines implements AutoCloseable {
        private final Reader in;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int end;
        private long number;
        private boolean truncated;
        private boolean eof;
        private final StringBuilder line = new StringBuilder(256);

        Lines(Reader in) {
            this.in = in;
        }

        /** The next line, or null at the end of the input. */
        public String next() throws IOException {
            line.setLength(0);
            truncated = false;
            boolean any = false;
            while (true) {
                if (pos == end) {
                    if (eof || !fill()) {
                        if (!any) {
                            return null;
                        }
                        break;
                    }
                }
                any = true;
                int nl = indexOfNewline();
                int stop = nl < 0 ? end : nl;
                append(pos, stop);
                pos = nl < 0 ? end : nl + 1;
                if (nl >= 0) {
                    break;
                }
            }
            number++;
            int n = line.length();
            if (n > 0 && line.charAt(n - 1) == '\r') {
                line.setLength(n - 1);
            }
            return line.toString();
        }

        /** The 1-based number of the line {@link #next()} returned last. */
        public long number() {
            return number;
        }

        /** Whether the last line was longer than {@link #MAX_LINE} and was cut. */
        public boolean truncated() {
            return truncated;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                eof = true;
                return false;
            }
            pos = 0;
            end = n;
            return true;
        }

        private int indexOfNewline() {
            for (int i = pos; i < end; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void append(int from, int to) {
            int room = MAX_LINE - line.length();
            int n = to - from;
            if (n > room) {
                truncated = true;
                n = room;
            }
            line.append(buf, from, n);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
