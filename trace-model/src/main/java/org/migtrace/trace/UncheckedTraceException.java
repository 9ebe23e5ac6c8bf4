package org.migtrace.trace;

/**
 * Carries a {@link BadTraceException} (or an {@link java.io.IOException}) out of a
 * {@link java.util.stream.Stream} view of a table, where checked exceptions cannot go. Catch it
 * around the stream's terminal operation and rethrow {@link #getCause()}.
 */
public final class UncheckedTraceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UncheckedTraceException(Exception cause) {
        super(cause.getMessage(), cause);
    }
}
