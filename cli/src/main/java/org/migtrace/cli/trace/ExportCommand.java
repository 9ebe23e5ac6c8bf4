package org.migtrace.cli.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.output.Summary;
import org.migtrace.trace.JsonlExport;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code migtrace export FORMAT TRACE}: a trace in another form. */
@Command(
        name = "export",
        header = "Write a trace in another form (JSON lines).",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace export jsonl runs/nic -o nic.jsonl",
        },
        description = "Write a trace in another form.",
        synopsisSubcommandLabel = "FORMAT",
        subcommands = {ExportCommand.Jsonl.class})
public final class ExportCommand {

    @Mixin
    HelpMixin help;

    /** {@code migtrace export jsonl TRACE [-o FILE]}. */
    @Command(
            name = "jsonl",
            header = "Write a trace as JSON lines.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  migtrace export jsonl runs/nic -o nic.jsonl",
                "  migtrace export jsonl runs/nic | gzip > nic.jsonl.gz",
            },
            description = "JSON lines: the manifest, then one object per event keyed by column name (its dirty runs "
                    + "nested), and the iterations rows (docs/trace-format.md). 'import jsonl' reads it back without loss.")
    public static final class Jsonl implements Callable<Integer> {

        @Parameters(paramLabel = "TRACE", description = "A trace directory.")
        Path trace;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE (default: standard output).")
        Path output;

        @Mixin
        FormatMixin format;

        @Mixin
        HelpMixin help;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws MigtraceException, IOException {
            if (output == null && !format.text()) {
                throw new ParameterException(spec.commandLine(), "--format " + format.format() + " needs -o FILE: "
                        + "without it, standard output is the JSON lines themselves");
            }
            if (output != null) {
                JsonlExport.export(trace, output);
                if (!format.text()) {
                    format.print(RecordCommand.rows(new Summary().put("trace", trace.toString())
                            .put("output", output.toString()).put("bytes", Files.size(output)), trace));
                }
                return 0;
            }
            try (RecordedTrace t = RecordedTrace.open(trace)) {
                JsonlExport.export(t, spec.commandLine().getOut());
            }
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
