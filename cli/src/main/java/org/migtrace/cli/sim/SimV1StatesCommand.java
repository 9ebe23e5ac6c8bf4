package org.migtrace.cli.sim;

import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Table;
import org.migtrace.uapi.V1State;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code migtrace sim v1-states}: how the v1 protocol's {@code device_state} macros classify each
 * value of the low four bits.
 */
@Command(
        name = "v1-states",
        header = "The v1 device_state values and whether they are valid or errors.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace sim v1-states --ndma",
        },
        description = {
            "Print each v1 device_state value 0..15 (RUNNING=1, SAVING=2, RESUMING=4, NDMA=8) with "
                    + "whether VFIO_DEVICE_STATE_VALID and VFIO_DEVICE_STATE_IS_ERROR hold.",
            "By default the merged header's macros (kernel 5.8-5.17), which ignore bit 3.",
        })
public final class SimV1StatesCommand implements Callable<Integer> {

    /** Every combination of RUNNING, SAVING, RESUMING and NDMA. */
    private static final int VALUES = 16;

    @Option(
            names = "--ndma",
            description = "Apply the rules of the unmerged NDMA RFC (Dec 2021) instead: the mask "
                    + "includes bit 3, and RESUMING may not be combined with RUNNING or SAVING.")
    boolean ndma;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Override
    public Integer call() {
        V1State.Rules rules = ndma ? V1State.Rules.NDMA_RFC : V1State.Rules.MERGED;
        Table.Builder table = Table.builder(
                Column.right("value"), Column.left("bits"), Column.left("valid"), Column.left("error"));
        for (int value = 0; value < VALUES; value++) {
            table.row(value, V1State.bits(value), V1State.valid(value, rules), V1State.isError(value, rules));
        }
        format.print(table.build());
        return ExitCode.OK.status();
    }
}
