package org.migtrace.cli.analysis;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --replay OUT}: a replay's output ({@code migtrace replay TRACE -o OUT}) to load with the
 * trace, so its divergences join the trace's events (the {@code divergences} view).
 */
public final class ReplayOption {
    @Option(names = "--replay", paramLabel = "OUT",
            description = "A replay's output directory (migtrace replay TRACE -o OUT) or its divergences.arrow: "
                    + "its divergences are loaded with the trace (default: the trace directory's own "
                    + "divergences.arrow, if any).")
    Path replay;

    /** The replay output, or null for the trace directory's own divergence table, if any. */
    Path path() {
        return replay;
    }
}
