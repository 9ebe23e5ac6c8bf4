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
            ReportCommand.class, SimCommand.class, DemoCommand.class, CompletionCommand.class, HelpCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace demo",
            "  migtrace record --scenario nic-converges -o runs/nic",
            "  migtrace analyze runs/nic",
            "  migtrace replay runs/nic --target precopy-dirty-bytes",
            "  migtrace report runs/nic -o nic.html",
            "",
            "Exit status:",
            "  0  success",
            "  1  the command ran and reported findings (divergences, violations, no convergence)",
            "  2  usage error (unknown option, bad option value)",
            "  3  bad input (the message names the file and line)",
            "  4  internal error (rerun with --stacktrace for the stack trace)",
        })
public final class MigtraceCommand {

    @Option(
            names = ErrorHandler.STACKTRACE_OPTION,
            scope = ScopeType.INHERIT,
            description = "On an error, print the stack trace after the message.")
    boolean stacktrace;

    /** The older name of {@code --stacktrace}, kept for scripts that use it. */
    @Option(names = ErrorHandler.DEBUG_ALIAS, scope = ScopeType.INHERIT, hidden = true)
    boolean debug;
}
