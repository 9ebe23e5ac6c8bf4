package org.migtrace.cli.analysis;

import java.io.PrintWriter;
import java.util.List;
import org.migtrace.analysis.Analysis;
import org.migtrace.cli.output.OutputFormat;

/** {@code analyze A B ...}'s terminal table, for commands outside this package ({@code demo}). */
public final class SideBySide {
    private SideBySide() {
    }

    /** The verdicts and the pending bytes per iteration, one column per trace, as {@code analyze} prints them. */
    public static void print(List<Analysis> analyses, PrintWriter out) {
        AnalysisOutput.sideBySide(analyses, OutputFormat.TABLE, out);
    }
}
