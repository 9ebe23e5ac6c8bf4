package org.migtrace.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the command line: exit status and what went to stdout and stderr. */
public record CliRun(int exit, String out, String err) {

    /** Runs {@code migtrace args...} through picocli, exactly as {@link Main#main} would. */
    public static CliRun of(String... args) {
        return of(cmd -> { }, args);
    }

    /** As {@link #of(String...)}, after {@code customize} has changed the command tree. */
    public static CliRun of(java.util.function.Consumer<CommandLine> customize, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        CommandLine cmd = Main.commandLine(outWriter, errWriter);
        customize.accept(cmd);
        // picocli hands writers only to the subcommands present when they are set.
        cmd.setOut(outWriter);
        cmd.setErr(errWriter);
        int exit = cmd.execute(args);
        outWriter.flush();
        errWriter.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** Standard output split into lines. */
    public List<String> outLines() {
        return out.lines().toList();
    }
}
