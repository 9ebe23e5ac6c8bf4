package org.migtrace.uapi;

import java.util.Objects;

/**
 * The one exception type that crosses from a module into the command line, carrying an
 * {@link ErrorCode} that says whose fault it is. The CLI maps each code to an exit status in one
 * place; modules never choose exit numbers themselves.
 *
 * <p>It lives in {@code uapi} because every module already depends on it (the vocabulary module),
 * so a trace reader, the replayer or the analysis can throw it without depending on the CLI or on a
 * shared module that would hold nothing else. It is checked: bad input is an expected outcome a
 * caller must handle or pass on, not a programmer error. Findings (divergences, rule violations)
 * are data and never travel as this exception; programmer errors stay
 * {@link IllegalArgumentException} / {@link IllegalStateException}.
 */
public class MigtraceException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Whose fault it is; the CLI turns each into an exit status. */
    public enum ErrorCode {
        /** The command was used wrongly (an option value that makes no sense, a missing argument). */
        USAGE,
        /** An input file or stream is malformed, unsupported or inconsistent; the message names it. */
        BAD_INPUT,
        /** Something failed that no input explains: a bug, or the environment (disk full, I/O). */
        INTERNAL
    }

    private final ErrorCode code;

    public MigtraceException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public MigtraceException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * Bad input at a place a person can go and look: {@code trace/manifest.json:12: unknown format}.
     *
     * @param source the file (or {@code <stdin>}) as the user named it
     * @param line   1-based line, or 0 when the input has no lines (then only the source is named)
     */
    public static MigtraceException badInput(String source, long line, String message) {
        String where = line > 0 ? source + ":" + line : source;
        return new MigtraceException(ErrorCode.BAD_INPUT, where + ": " + message);
    }

    /** The error code the CLI maps to an exit status. */
    public ErrorCode code() {
        return code;
    }
}
