package org.migtrace.trace;

import java.util.Optional;
import org.migtrace.trace.internal.TraceCodecs;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The format's identity, written first in every manifest and checked before any row is read.
 * Versions are {@code MAJOR.MINOR}: a minor bump only adds (columns, tables, manifest keys,
 * vocabulary values) and older readers keep working; a major bump may change meaning, and readers
 * refuse majors they do not know, naming the range they support.
 */
public final class TraceFormat {
    /** The manifest's {@code format.name}. */
    public static final String NAME = "migtrace-trace";
    public static final int MAJOR = 3;
    /**
     * The oldest major this reader opens. 2.0 added word rows to dirty_runs (the {@code bits}
     * column); a 1.x trace has none, and reads as a 2.0 trace whose rows are all runs.
     */
    public static final int OLDEST_MAJOR = 1;
    /**
     * 3.0: record batch bodies are compressed with ZSTD (Arrow IPC's per-buffer body compression), which
     * a 2.x reader refuses; 1.x and 2.x files are uncompressed and read as before. (2.1: table entries
     * give a {@code crc32c} where 2.0 gave a {@code sha256}, {@link FileChecksum}.)
     */
    public static final int MINOR = 0;
    /**
     * The zstd level the writer compresses record batch buffers at: one of zstd's fast (negative)
     * levels. On a live capture's buffers it compresses 9 times in a third of level 1's time (level 1:
     * 12 times); levels -1 to -3 were both slower and larger on dirty_runs' columns, -4 to -6 alike
     * (docs/performance.md, "Trace compression"). Readers do not depend on it.
     */
    public static final int ZSTD_LEVEL = -5;
    /** The manifest file in a trace directory. */
    public static final String MANIFEST = "manifest.json";

    private static final Pattern VERSION = Pattern.compile("(0|[1-9][0-9]{0,8})\\.(0|[1-9][0-9]{0,8})");

    private TraceFormat() {
    }

    /**
     * New codecs for one reader of trace files to load record batches with ({@code new
     * VectorLoader(root, codecs)}, {@code new ArrowFileReader(channel, allocator, codecs)}), closed
     * when it is done: ZSTD for 3.x files; 1.x and 2.x files have no compressed buffer. A buffer
     * whose declared length no zstd frame of its size can reach is refused before anything is
     * allocated.
     */
    public static BatchCodecs readerCodecs() {
        return new TraceCodecs.Reader();
    }

    /** {@code 3.0}. */
    public static String version() {
        return MAJOR + "." + MINOR;
    }

    /** The versions this reader opens: {@code 1.x, 2.x}. */
    public static String supportedRange() {
        StringBuilder s = new StringBuilder();
        for (int m = OLDEST_MAJOR; m <= MAJOR; m++) {
            s.append(s.isEmpty() ? "" : ", ").append(m).append(".x");
        }
        return s.toString();
    }

    /** A parsed {@code MAJOR.MINOR}. */
    public record Version(int major, int minor) {

        /** {@code "1.7"} → 1.7; empty when the text is not {@code MAJOR.MINOR}. */
        public static Optional<Version> parse(String text) {
            Matcher m = text == null ? null : VERSION.matcher(text);
            if (m == null || !m.matches()) {
                return Optional.empty();
            }
            return Optional.of(new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }

        /** Whether this reader opens traces of this version (a major it knows; any minor). */
        public boolean supported() {
            return major >= OLDEST_MAJOR && major <= MAJOR;
        }

        /** Whether a newer minor of the supported major wrote it: unknown columns and values are then expected. */
        public boolean newerMinor() {
            return major == MAJOR && minor > MINOR;
        }

        @Override
        public String toString() {
            return major + "." + minor;
        }
    }

    /**
     * Checks a manifest's {@code format} values before anything else of the trace is read.
     *
     * @param source the manifest file (or the JSON-lines input) as the user named it
     * @param line   the line of a JSON-lines input, or 0 for {@code manifest.json}
     * @return the version, which this reader supports
     * @throws BadTraceException naming the supported range when the name or the major version is not ours
     */
    public static Version check(java.nio.file.Path source, long line, String name, String version)
            throws BadTraceException {
        String problem = null;
        Optional<Version> v = Version.parse(version);
        if (!NAME.equals(name)) {
            problem = "not a migtrace trace: format.name is " + (name == null ? "missing" : "'" + name + "'")
                    + " (expected '" + NAME + "')";
        } else if (v.isEmpty()) {
            problem = "format.version " + (version == null ? "is missing" : "'" + version + "' is not MAJOR.MINOR")
                    + " (supported: " + supportedRange() + ")";
        } else if (!v.get().supported()) {
            problem = "format version " + v.get() + " is not supported (supported: " + supportedRange()
                    + "; this migtrace writes " + version() + ")";
        }
        if (problem != null) {
            throw line > 0 ? BadTraceException.atLine(source, line, problem) : BadTraceException.of(source, problem);
        }
        return v.get();
    }
}
