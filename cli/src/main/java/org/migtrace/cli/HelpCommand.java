package org.migtrace.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace help [COMMAND...]}: the usage of {@code migtrace} or of a nested command such as
 * {@code help sim fsm}. picocli's own help command looks one level down only.
 */
@Command(
        name = "help",
        header = "Show the help of migtrace or of a command.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace help sim fsm",
        },
        helpCommand = true,
        description = "Show the help of migtrace or of a command (e.g. help sim fsm).")
final class HelpCommand implements Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. sim fsm.")
    List<String> path = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine target = spec.parent().commandLine();
        for (String name : path) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new ParameterException(spec.commandLine(),
                        "Unknown command '" + String.join(" ", path) + "'");
            }
            target = sub;
        }
        target.usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
        return ExitCode.OK.status();
    }
}
