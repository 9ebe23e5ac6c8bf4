package org.migtrace.recorder.importer;

import java.io.IOException;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.NewTrace;

/**
 * Reads a capture made by another tool (a QEMU trace log, bpftrace output) into a trace. One
 * implementation per source format, each in its own sub-package whose documentation cites the
 * format; {@link Importers} lists them by {@link #name()}, which is what the command line calls
 * them ({@code migtrace import NAME FILE -o TRACE}).
 *
 * <p>An importer streams: it reads its input line by line, writes rows as it goes, and keeps
 * memory bounded however long the input. What it learns only at the end (the devices the input
 * names, the tool's version) goes into the {@link Imported#manifest() manifest} it returns, which
 * the caller writes when it finishes the trace ({@link Importers#toTrace}).
 */
public interface Importer {

    /** The name the command line uses: {@code qemu-log}, {@code bpftrace}. */
    String name();

    /** One sentence for the command's help: what input this reads. */
    String describe();

    /**
     * Reads all of {@code input} into the sink {@code sinks} opens (always opened, even for an input
     * without events; the caller closes it).
     *
     * @throws BadTraceException when the input is clearly not of this format (binary data), naming
     *                           the input and the line; lines the importer merely does not know are
     *                           counted in {@link Imported#notUnderstood()}, never an error
     */
    Imported read(InputSource input, ImportOptions options, NewTrace.SinkFactory sinks) throws BadTraceException, IOException;
}
