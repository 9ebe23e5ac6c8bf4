package org.migtrace.cli.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.trace.JsonlImport;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code migtrace import FORMAT FILE -o TRACE}: a trace from another form. */
@Command(
        name = "import",
        header = "Make a trace from JSON lines, a QEMU log or a bpftrace capture.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace import qemu-log guest1.log -o runs/guest1 --host src-host",
            "  migtrace import bpftrace capture.json -o runs/host1",
            "  migtrace import jsonl nic.jsonl.gz -o runs/nic-copy",
        },
        description = "Make a trace from another form.",
        synopsisSubcommandLabel = "FORMAT",
        subcommands = {ImportCommand.Jsonl.class, ImportQemuLogCommand.class, ImportBpftraceCommand.class})
public final class ImportCommand {

    @Mixin
    HelpMixin help;

    /** {@code migtrace import jsonl FILE|- -o TRACE}. */
    @Command(
            name = "jsonl",
            header = "Make a trace from JSON lines.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  migtrace import jsonl nic.jsonl.gz -o runs/nic-copy",
                "  zcat nic.jsonl.gz | migtrace import jsonl - -o runs/nic-copy",
            },
            description = "JSON lines as 'export jsonl' writes them, or written by hand: the manifest line is optional, "
                    + "so is seq (docs/trace-format.md has a complete example). Bad input is refused with file and line, "
                    + "and nothing is left behind.")
    public static final class Jsonl implements Callable<Integer> {

        @Mixin
        ImportArgs args;

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
            args.check();
            JsonlImport.Result result;
            try {
                result = read();
            } catch (FileAlreadyExistsException e) {
                throw TraceDirs.exists(e);
            }
            if (!format.text()) {
                format.print(args.summary());
                return 0;
            }
            spec.commandLine().getOut().println(args.imported() + result.events()
                    + " events, " + result.dirtyRuns() + " dirty runs, " + result.iterations() + " iterations"
                    + (result.manifest().complete() ? "" : "; capture did not finish"));
            return 0;
        }

        private JsonlImport.Result read() throws MigtraceException, IOException {
            InputSource source = args.source(progress.hook());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(source.bytes(), StandardCharsets.UTF_8))) {
                return JsonlImport.toTrace(in, source.path(), args.output);
            }
        }
    }
}
