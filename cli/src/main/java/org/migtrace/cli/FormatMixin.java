package org.migtrace.cli;

import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Table;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --format table|csv|json} for every command that prints a {@link Table}. */
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

    /** Prints {@code table} in the chosen format to the command's standard output. */
    public void print(Table table) {
        format.write(table, mixee.commandLine().getOut());
    }
}
