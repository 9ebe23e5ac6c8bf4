package org.migtrace.trace;

import java.nio.file.Path;
import org.migtrace.uapi.MigtraceException;

/**
 * A trace, one of its files, or a JSON-lines input is malformed, unsupported or inconsistent. The
 * message names the file and the place a person can go and look: the byte offset in an Arrow file,
 * the line (and column) in JSON. Its error code is always {@link ErrorCode#BAD_INPUT}.
 */
public final class BadTraceException extends MigtraceException {

    private static final long serialVersionUID = 1L;

    private final String file;
    private final long offset;
    private final long line;
    private final String problem;

    private BadTraceException(String file, long offset, long line, String where, String problem) {
        super(ErrorCode.BAD_INPUT, where + ": " + problem);
        this.file = file;
        this.offset = offset;
        this.line = line;
        this.problem = problem;
    }

    /** {@code trace/events.arrow: offset 4096: message}. */
    public static BadTraceException atOffset(Path file, long offset, String message) {
        return new BadTraceException(file.toString(), offset, 0, file + ": offset " + offset, message);
    }

    /** {@code input.jsonl:12: message} (line is 1-based). */
    public static BadTraceException atLine(Path file, long line, String message) {
        return new BadTraceException(file.toString(), -1, line, file + ":" + line, message);
    }

    /** {@code trace/manifest.json: message}, when no finer place applies. */
    public static BadTraceException of(Path file, String message) {
        return new BadTraceException(file.toString(), -1, 0, file.toString(), message);
    }

    /** The file as the caller named it. */
    public String file() {
        return file;
    }

    /** The byte offset in the file, or -1 when the error has none. */
    public long offset() {
        return offset;
    }

    /** The 1-based line in a text input, or 0 when the error has none. */
    public long line() {
        return line;
    }

    /** What is wrong, without the file and the place the message starts with. */
    public String problem() {
        return problem;
    }
}
