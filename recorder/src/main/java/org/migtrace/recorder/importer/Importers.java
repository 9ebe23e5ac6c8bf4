package org.migtrace.recorder.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.migtrace.recorder.importer.qemulog.QemuLogImporter;
import org.migtrace.trace.BadTraceException;
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

    /** Every importer, in the order the command line lists them. */
    public static List<Importer> all() {
        return ALL;
    }

    /** The importer called {@code name}, if there is one. */
    public static Optional<Importer> byName(String name) {
        return ALL.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * Imports {@code input} into a new trace directory {@code traceDir} (it must not exist, or be
     * empty) and finishes the trace with the manifest the import produced. On bad input, or any
     * failure, nothing is left behind: the partial trace is discarded.
     */
    public static Imported toTrace(Importer importer, InputSource input, Path traceDir, ImportOptions options)
            throws BadTraceException, IOException {
        TraceWriter[] writer = new TraceWriter[1];
        try {
            Imported result = importer.read(input, options, m -> writer[0] = TraceWriter.create(traceDir, m));
            writer[0].finish(result.manifest().complete(), result.manifest());
            return result;
        } catch (BadTraceException | IOException | RuntimeException e) {
            if (writer[0] != null) {
                writer[0].discard();
            }
            throw e;
        }
    }
}
