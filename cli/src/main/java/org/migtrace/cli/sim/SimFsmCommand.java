package org.migtrace.cli.sim;

import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Table;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.V2Fsm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migtrace sim fsm}: the kernel's v2 next-step function for every (from, to) pair, and the
 * path one {@code VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE} SET walks, for a device with the given
 * migration flags.
 */
@Command(
        name = "fsm",
        header = "The v2 state machine: next state and path for every state pair.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace sim fsm --format csv",
            "  migtrace sim fsm --features stop_copy --kernel 6.2-7.1",
        },
        description = {
            "Print the v2 migration state machine: for every pair of the 8 states, the next hop the "
                    + "kernel's vfio_mig_get_next_state() returns and the path a SET walks.",
            "next is a state, EINVAL (refused) or HANG (never returns); path is the states joined "
                    + "by '>', the state itself when from = to, or EINVAL / HANG.",
        })
public final class SimFsmCommand implements Callable<Integer> {

    @Option(
            names = "--features",
            paramLabel = "FLAGS",
            defaultValue = "stop_copy,p2p,pre_copy",
            converter = FeatureSet.Converter.class,
            description = "The device's migration flags: stop_copy plus any of p2p, pre_copy, "
                    + "comma-separated (default: ${DEFAULT-VALUE}).")
    FeatureSet features;

    @Option(
            names = "--kernel",
            paramLabel = "KERNEL",
            defaultValue = KernelChoice.CURRENT,
            converter = KernelChoice.Converter.class,
            completionCandidates = KernelChoice.Candidates.class,
            description = "Whose next-step function: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). "
                    + "On 6.2-7.1, STOP_COPY to PRE_COPY(_P2P) spins forever (HANG); later kernels "
                    + "return EINVAL.")
    V2Fsm.Kernel kernel;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Override
    public Integer call() {
        Table.Builder table = Table.builder(
                Column.left("from"), Column.left("to"), Column.left("next"), Column.left("path"));
        int flags = features.mask();
        for (MigState from : MigState.values()) {
            for (MigState to : MigState.values()) {
                table.row(from.name(), to.name(),
                        V2Fsm.nextState(from, to, flags, kernel).label(),
                        V2Fsm.walk(from, to, flags, kernel).label());
            }
        }
        format.print(table.build());
        return ExitCode.OK.status();
    }
}
