package org.migtrace.cli;

import java.io.PrintWriter;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a command into a message and an {@link ExitCode}. Parse errors
 * never reach here: picocli's own handler prints its message and the usage and returns
 * {@link ExitCode#USAGE}.
 *
 * <ul>
 *   <li>{@code USAGE} from a module: the message and the command's usage, as for a parse error;</li>
 *   <li>{@code BAD_INPUT}: the message alone (it names the file and line);</li>
 *   <li>{@code INTERNAL} or any other exception: a one-line summary and a hint to rerun with
 *       {@code --debug}, which prints the stack trace instead of the hint.</li>
 * </ul>
 */
final class ErrorHandler implements IExecutionExceptionHandler {

    static final String DEBUG_OPTION = "--debug";

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean debug = debugRequested(parsed);
        ExitCode exit;
        if (ex instanceof MigtraceException) {
            MigtraceException me = (MigtraceException) ex;
            exit = ExitCode.of(me.code());
            err.println("migtrace: " + me.getMessage());
            if (exit == ExitCode.USAGE) {
                cmd.usage(err);
            }
        } else {
            exit = ExitCode.INTERNAL;
            err.println("migtrace: internal error: " + ex);
        }
        if (debug) {
            ex.printStackTrace(err);
        } else if (exit == ExitCode.INTERNAL) {
            err.println("migtrace: rerun with " + DEBUG_OPTION + " for the stack trace");
        }
        err.flush();
        return exit.status();
    }

    /** Whether {@code --debug} was given at any level of the command line. */
    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(DEBUG_OPTION)) {
                return true;
            }
        }
        return false;
    }
}
