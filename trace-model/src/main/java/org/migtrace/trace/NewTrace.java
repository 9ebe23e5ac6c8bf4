package org.migtrace.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The one way a producer that reads some input (JSON lines, a QEMU log, bpftrace output) writes it
 * into a new trace directory: bad input (or a bug) leaves nothing behind, the partial trace is
 * discarded; a read that fails part-way (a pipe that broke, a disk error) keeps what was written,
 * finished as not complete, so nothing already captured is lost.
 */
public final class NewTrace {
    private NewTrace() {
    }

    /** Opens the sink the rows go to, once the producer knows the manifest the trace starts with. */
    @FunctionalInterface
    public interface SinkFactory {
        TraceSink open(Manifest start) throws IOException;
    }

    /** A producer's work: reads its input into the sink it opens through {@code sinks} (once). */
    @FunctionalInterface
    public interface Body<R> {
        R read(SinkFactory sinks) throws BadTraceException, IOException;
    }

    /**
     * Runs {@code body} into a new trace directory {@code dir} (it must not exist, or be empty) and
     * finishes the trace with the manifest {@code described} gives (null: the one it started with),
     * complete as {@code complete} says.
     */
    public static <R> R write(Path dir, Body<R> body, Function<R, Manifest> described, Predicate<R> complete)
            throws BadTraceException, IOException {
        TraceWriter[] writer = new TraceWriter[1];
        R result;
        try {
            result = body.read(m -> writer[0] = TraceWriter.create(dir, m));
        } catch (BadTraceException | RuntimeException e) {
            if (writer[0] != null) {
                writer[0].discard();
            }
            throw e;
        } catch (IOException e) {
            if (writer[0] != null) {
                writer[0].finish(false);
            }
            throw e;
        }
        Manifest end = described.apply(result);
        if (end == null) {
            writer[0].finish(complete.test(result));
        } else {
            writer[0].finish(complete.test(result), end);
        }
        return result;
    }
}
