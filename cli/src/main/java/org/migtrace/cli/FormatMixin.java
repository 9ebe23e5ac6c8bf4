package org.migtrace.cli;

import java.io.PrintWriter;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.output.Table;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code -f/--format table|csv|json|markdown}, the one format option of every command that prints a
 * result: a {@link Table}, a JSON document, or a {@link Summary} of what it did.
 */
public final class FormatMixin {

    @Option(
            names = {"-f", "--format"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    /** The command this mixin is part of: its writer is where output goes (captured in tests). */
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The format chosen on the command line. */
    public OutputFormat format() {
        return format;
    }

    /** The command's standard output. */
    public PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    /** Prints {@code table} in the chosen format to the command's standard output. */
    public void print(Table table) {
        format.write(table, out());
    }

    /**
     * Whether the command prints its own text, as it always has ({@code table}, the default), rather
     * than a {@link Summary} in another format.
     */
    public boolean text() {
        return format == OutputFormat.TABLE;
    }

    /** Prints {@code summary} in the chosen format to the command's standard output. */
    public void print(Summary summary) {
        summary.write(format, out());
    }
}
