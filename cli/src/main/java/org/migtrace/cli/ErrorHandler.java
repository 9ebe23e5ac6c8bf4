package org.migtrace.cli;

import java.io.PrintWriter;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every error the command line prints, as one line on stderr saying what went wrong and where, and
 * its {@link ExitCode}:
 *
 * <ul>
 *   <li>a command line picocli cannot parse, or {@code USAGE} from a module: the command and the
 *       message, then where to read more ({@code migtrace sim fsm: Unknown option: '--colour' (see
 *       'migtrace sim fsm --help')}); exit 2. {@code migtrace} alone also prints its usage: the
 *       commands there are;</li>
 *   <li>{@code BAD_INPUT}: the message alone, which names the file and line; exit 3;</li>
 *   <li>{@code INTERNAL} or any other exception: the message, for an unexpected exception its type
 *       and the frame it came from, and a hint to rerun with {@code --stacktrace}; exit 4.</li>
 * </ul>
 *
 * With {@code --stacktrace} (or its older name {@code --debug}) the stack trace follows the line.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    static final String STACKTRACE_OPTION = "--stacktrace";
    static final String DEBUG_ALIAS = "--debug";

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean stacktrace = stacktraceRequested(parsed);
        ExitCode exit = ex instanceof MigtraceException me ? ExitCode.of(me.code()) : ExitCode.INTERNAL;
        String line = switch (exit) {
            case USAGE -> usageLine(cmd, ex.getMessage());
            case BAD_INPUT -> "migtrace: " + ex.getMessage();
            default -> "migtrace: " + internal(ex) + (stacktrace ? "" : " (rerun with " + STACKTRACE_OPTION + " for the stack trace)");
        };
        err.println(line);
        if (stacktrace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exit.status();
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (args.length == 0 && cmd.getCommandSpec().parent() == null) {
            err.println("migtrace: " + ex.getMessage());
            cmd.usage(err);
        } else {
            String message = ex.getMessage();
            if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
                message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
            }
            err.println(usageLine(cmd, message));
        }
        err.flush();
        return ExitCode.USAGE.status();
    }

    /** {@code migtrace sim fsm: MESSAGE (see 'migtrace sim fsm --help')}. */
    private static String usageLine(CommandLine cmd, String message) {
        String name = cmd.getCommandSpec().qualifiedName();
        return name + ": " + message + " (see '" + name + " --help')";
    }

    /** What went wrong: a module's message, or an unexpected exception's type, message and origin. */
    private static String internal(Exception ex) {
        if (ex instanceof MigtraceException) {
            return ex.getMessage();
        }
        StringBuilder b = new StringBuilder("internal error: ").append(ex.getClass().getName());
        if (ex.getMessage() != null) {
            b.append(": ").append(ex.getMessage());
        }
        StackTraceElement[] frames = ex.getStackTrace();
        if (frames.length > 0) {
            b.append(" at ").append(frames[0]);
        }
        return b.toString();
    }

    /** Whether {@code --stacktrace} (or {@code --debug}) was given at any level of the command line. */
    private static boolean stacktraceRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(STACKTRACE_OPTION) || p.hasMatchedOption(DEBUG_ALIAS)) {
                return true;
            }
        }
        return false;
    }
}
