package org.migtrace.cli;

import org.migtrace.cli.demo.DemoCommand;
import org.migtrace.cli.replay.ReplayCommand;
import org.migtrace.cli.analysis.AnalyzeCommand;
import org.migtrace.cli.analysis.PlotCommand;
import org.migtrace.cli.analysis.ReportCommand;
import org.migtrace.cli.analysis.SqlCommand;
import org.migtrace.cli.sim.SimCommand;
import org.migtrace.cli.trace.ExportCommand;
import org.migtrace.cli.trace.ImportCommand;
import org.migtrace.cli.trace.InfoCommand;
import org.migtrace.cli.trace.RecordCommand;
import org.migtrace.cli.trace.VerifyCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The top-level {@code migtrace} command: only groups subcommands and holds the options every
 * subcommand inherits. Run without a subcommand it is a usage error.
 */
@Command(
        name = "migtrace",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Record, replay and analyze VFIO live migrations.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {RecordCommand.class, InfoCommand.class, VerifyCommand.class, ExportCommand.class,
            ImportCommand.class, ReplayCommand.class, AnalyzeCommand.class, SqlCommand.class, PlotCommand.class,
            ReportCommand.class, SimCommand.class, DemoCommand.class, HelpCommand.class},
        footerHeading = "%nExit status:%n",
        footer = {
            "  0  success",
            "  1  the command ran and reported findings (divergences, violations, no convergence)",
            "  2  usage error (unknown option, bad option value)",
            "  3  bad input (the message names the file and line)",
            "  4  internal error (rerun with --debug for the stack trace)",
        })
public final class MigtraceCommand {

    @Option(
            names = ErrorHandler.DEBUG_OPTION,
            scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace.")
    boolean debug;
}
