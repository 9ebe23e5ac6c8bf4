package org.migtrace.cli.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.migtrace.cli.output.Summary;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.trace.WorkProgress;
import org.migtrace.uapi.MigtraceException.ErrorCode;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What every {@code migtrace import FORMAT} takes: the input ({@code FILE} or {@code -}) and the trace to create. */
final class ImportArgs {

    @Parameters(paramLabel = "FILE", description = "The input file (gzip-compressed or not), or - for standard input.")
    String input;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "TRACE",
            description = "The trace directory to create (must not exist, or be empty).")
    Path output;

    /**
     * Checks the command line before anything is read or created: the output must be free for a new
     * trace, the input an existing file (or {@code -}). Both are usage errors.
     */
    void check() throws MigtraceException, IOException {
        TraceDirs.requireFresh(output);
        if (!stdin() && !Files.isRegularFile(Path.of(input))) {
            throw new MigtraceException(ErrorCode.USAGE, input + ": no such file");
        }
    }

    boolean stdin() {
        return "-".equals(input);
    }

    InputSource source() {
        return InputSource.of(input);
    }

    /** The input, telling {@code progress} how much of the file was read (standard input: nothing to tell). */
    InputSource source(WorkProgress progress) {
        return source().reporting(progress);
    }

    /** How every import's summary line starts: {@code imported SOURCE into TRACE: } (standard input as {@code <stdin>}). */
    String imported() {
        return "imported " + source().name() + " into " + output + ": ";
    }

    /** The fields every import's summary starts with: the input and the trace made, with its row counts. */
    Summary summary() throws MigtraceException, IOException {
        Summary s = new Summary().put("input", source().name()).put("trace", output.toString());
        RecordCommand.rows(s, output);
        return s;
    }

    /** The command line as the manifest's {@code source.command} records it ({@code host}: the {@code --host} given, or null). */
    String command(String format, String host) {
        return "migtrace import " + format + " " + input + " -o " + output + (host == null ? "" : " --host " + host);
    }
}
