package org.migtrace.cli.sim;

import org.migtrace.cli.HelpMixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code migtrace sim}: questions answered by the kernel model alone, with no trace. */
@Command(
        name = "sim",
        header = "The simulated stack: run a migration, print the state machines.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace sim run --scenario nic-converges",
            "  migtrace sim fsm --features stop_copy,pre_copy",
        },
        description = "Run migrations on the simulated stack; ask the kernel model: state-machine tables and state encodings.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {SimRunCommand.class, SimFsmCommand.class, SimV1StatesCommand.class})
public final class SimCommand {

    @Mixin
    HelpMixin help;
}
