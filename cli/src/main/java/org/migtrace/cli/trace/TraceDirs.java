package org.migtrace.cli.trace;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.migtrace.uapi.MigtraceException;
import org.migtrace.uapi.MigtraceException.ErrorCode;

/** Checks on the trace directory a command is asked to create. */
public final class TraceDirs {
    private TraceDirs() {
    }

    /**
     * A directory to write a new trace into must not exist or be empty: recording over a trace
     * would lose it. That is a usage error (the path is what was typed).
     */
    public static void requireFresh(Path dir) throws MigtraceException, IOException {
        if (Files.isRegularFile(dir)) {
            throw usage(dir + " is a file, not a directory for a new trace");
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw usage(dir + " is not empty: pick a new directory for the trace");
                }
            }
        }
    }

    /** The writer refused an existing directory after all (a race with another writer). */
    static MigtraceException exists(FileAlreadyExistsException e) {
        return usage(e.getFile() + " exists and is not empty: pick a new directory for the trace");
    }

    private static MigtraceException usage(String message) {
        return new MigtraceException(ErrorCode.USAGE, message);
    }
}
