package org.migtrace.cli.analysis;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --db FILE}, the one option every analysis command shares: where the loaded trace is kept. */
public final class DbOption {
    @Option(names = "--db", paramLabel = "FILE",
            description = "Keep the loaded trace in this DuckDB file (reused by later commands on the same trace).")
    Path db;

    /** The file, or null to load into memory. */
    Path file() {
        return db;
    }
}
