package org.migtrace.cli.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.analysis.HtmlReport;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.cli.output.Summary;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migtrace report TRACE -o report.html}. */
@Command(
        name = "report",
        header = "Write one self-contained HTML report of a trace.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace report runs/nic -o nic.html",
        },
        description = "Write one self-contained HTML page about a trace: the verdict, the charts (pending vs "
                + "threshold, dirty rate CPU vs device, device state timeline), the iteration table, the protocol "
                + "violations, the replay's divergences when one is given (--replay OUT) and the working-set estimate.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "A trace directory.")
    Path trace;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The HTML file to write.")
    Path output;

    @Mixin
    DbOption db;

    @Mixin
    ReplayOption replay;

    @Mixin
    FormatMixin format;

    @Mixin
    ShowsProgress progress;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        try (TraceDatabase d = TraceDatabase.load(trace, db.file(), replay.path(), progress.hook().part(0, 0.4))) {
            Files.write(output, HtmlReport.bytes(d, progress.hook().part(0.4, 1)));
        }
        if (!format.text()) {
            format.print(new Summary().put("trace", trace.toString()).put("report", output.toString())
                    .put("bytes", Files.size(output)));
            return 0;
        }
        spec.commandLine().getOut().println("wrote " + output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
