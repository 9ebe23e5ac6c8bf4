package org.migtrace.recorder.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.migtrace.recorder.importer.qemulog.QemuLogImporter;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceWriter;

/**
 * The importers, by the name the command line uses, and the one way to run one into a new trace
 * directory.
 */
public final class Importers {

    private static final List<Importer> ALL = List.of(
            new QemuLogImporter());

    private Importers() {
    }

    /** The importer called {@code name}, if there is one. */
    public static Optional<Importer> byName(String name) {
        return ALL.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * Imports {@code input} into a new trace directory {@code traceDir} (it must not exist, or be
     * empty) and finishes the trace with the manifest the import produced.
     */
    public static Imported toTrace(Importer importer, InputSource input, Path traceDir, ImportOptions options)
            throws BadTraceException, IOException {
        return toTrace(traceDir, sinks -> importer.read(input, options, sinks), Imported::manifest,
                r -> r.manifest().complete());
    }

    /** An import's work: reads its input into the sink it opens through {@code sinks}. */
    @FunctionalInterface
    public interface Body<R> {
        R read(Importer.SinkFactory sinks) throws BadTraceException, IOException;
    }

    /**
     * Runs an import into a new trace directory {@code traceDir} (it must not exist, or be empty) and
     * finishes the trace with the manifest {@code described} gives (null: the one it started with),
     * complete as {@code complete} says. Bad input (or a bug) leaves nothing behind: the partial trace
     * is discarded. A read that fails part-way (a pipe that broke, a disk error) keeps what was
     * written, finished as not complete: nothing already captured is lost.
     */
    public static <R> R toTrace(Path traceDir, Body<R> body, Function<R, Manifest> described, Predicate<R> complete)
            throws BadTraceException, IOException {
        TraceWriter[] writer = new TraceWriter[1];
        R result;
        try {
            result = body.read(m -> writer[0] = TraceWriter.create(traceDir, m));
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
