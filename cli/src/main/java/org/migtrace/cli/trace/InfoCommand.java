package org.migtrace.cli.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.trace.TraceSummary;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code migtrace info TRACE}: what a trace holds. */
@Command(
        name = "info",
        header = "What a trace holds: source, devices, events per op and errno.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace info runs/nic",
            "  migtrace info runs/nic --format json",
        },
        description = "Summarize a trace: source, hosts, devices, time span, events per op and errno, "
                + "dirty pages, lost events, and whether the capture finished.")
public final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "A trace directory.")
    Path trace;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Override
    public Integer call() throws MigtraceException, IOException {
        TraceSummary summary = TraceSummary.read(trace);
        TraceOutput.info(summary, format.format(), format.out());
        return 0;
    }
}
