package org.migtrace.trace;

/**
 * The format's identity, written first in every manifest and checked before any row is read.
 * Versions are {@code MAJOR.MINOR}: a minor bump only adds (columns, tables, manifest keys) and
 * older readers keep working; a major bump may change meaning, and readers refuse majors they do
 * not know, naming the range they support.
 */
public final class TraceFormat {
    /** The manifest's {@code format.name}. */
    public static final String NAME = "migtrace-trace";
    public static final int MAJOR = 1;
    public static final int MINOR = 0;
    /** The manifest file in a trace directory. */
    public static final String MANIFEST = "manifest.json";

    private TraceFormat() {
    }

    /** {@code 1.0}. */
    public static String version() {
        return MAJOR + "." + MINOR;
    }
}
