package org.migtrace.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the {@code migtrace} command. The only place that touches {@code System.out},
 * {@code System.err} and {@code System.exit}; everything else writes to the command line's
 * writers, so tests run commands in-process with captured output.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out)));
        PrintWriter err = new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.err)));
        int status;
        try {
            status = commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
        System.exit(status);
    }

    /**
     * The full command tree, writing to {@code out} and {@code err}, with the exit codes mapped;
     * long work shows a progress line on stderr when the console is a terminal.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, System.console() != null);
    }

    /** As {@link #commandLine(PrintWriter, PrintWriter)}, saying whether stderr is a terminal. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean terminal) {
        return commandLine(out, err, new Progress(terminal));
    }

    /** As {@link #commandLine(PrintWriter, PrintWriter)}, with the progress line drawn by {@code progress}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, Progress progress) {
        CommandLine cmd = new CommandLine(new MigtraceCommand());
        cmd.setExecutionStrategy(progress);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorHandler errors = new ErrorHandler();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        mapExitCodes(cmd);
        return cmd;
    }

    /** picocli keeps exit codes per command; give every command in the tree the same mapping. */
    private static void mapExitCodes(CommandLine cmd) {
        cmd.getCommandSpec()
                .exitCodeOnSuccess(ExitCode.OK.status())
                .exitCodeOnUsageHelp(ExitCode.OK.status())
                .exitCodeOnVersionHelp(ExitCode.OK.status())
                .exitCodeOnInvalidInput(ExitCode.USAGE.status())
                .exitCodeOnExecutionException(ExitCode.INTERNAL.status());
        for (CommandLine sub : cmd.getSubcommands().values()) {
            mapExitCodes(sub);
        }
    }
}
