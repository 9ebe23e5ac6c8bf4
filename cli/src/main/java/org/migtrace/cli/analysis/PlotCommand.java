package org.migtrace.cli.analysis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.migtrace.analysis.Chart;
import org.migtrace.analysis.TraceDatabase;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.output.Summary;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migtrace plot TRACE --chart NAME -o FILE.png|svg}. */
@Command(
        name = "plot",
        header = "Draw one chart of a trace into a PNG or SVG file.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace plot runs/nic --chart pending -o pending.svg",
        },
        description = "Draw one chart of a trace into a PNG or SVG file (by the file's extension): pending (pending "
                + "vs threshold per iteration), dirty-rate (pages written per second, CPU vs device DMA), "
                + "device-states (each device's state over time).")
public final class PlotCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "A trace directory.")
    Path trace;

    @Option(names = "--chart", required = true, paramLabel = "NAME", description = "pending, dirty-rate or device-states.")
    String chart;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "The image: FILE.png or FILE.svg.")
    Path output;

    @Mixin
    DbOption db;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws MigtraceException, IOException {
        Chart c = Chart.named(chart).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "unknown chart '" + chart + "' (charts: " + String.join(", ",
                        Arrays.stream(Chart.values()).map(Chart::chartName).toList()) + ")"));
        Chart.Format image = Chart.Format.of(output.getFileName().toString()).orElseThrow(() ->
                new ParameterException(spec.commandLine(), "-o " + output + ": the file name must end in .png or .svg"));
        try (TraceDatabase d = TraceDatabase.load(trace, db.file())) {
            Files.write(output, c.render(d, image));
        }
        if (!format.text()) {
            format.print(new Summary().put("trace", trace.toString()).put("chart", c.chartName())
                    .put("image", output.toString()).put("bytes", Files.size(output)));
            return 0;
        }
        spec.commandLine().getOut().println("wrote " + output);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
