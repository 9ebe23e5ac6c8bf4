package org.migtrace.recorder.importer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.migtrace.recorder.importer.qemulog.QemuLogImporter;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.NewTrace;

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
     * empty) and finishes the trace with the manifest the import produced ({@link NewTrace#write}:
     * bad input leaves nothing behind, a failed read keeps what was written).
     */
    public static Imported toTrace(Importer importer, InputSource input, Path traceDir, ImportOptions options)
            throws BadTraceException, IOException {
        return NewTrace.write(traceDir, sinks -> importer.read(input, options, sinks), Imported::manifest,
                r -> r.manifest().complete());
    }
}
