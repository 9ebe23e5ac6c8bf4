package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;
import org.migtrace.trace.Manifest;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migtrace import bpftrace FILE|- -o TRACE}: a saved capture ({@code bpftrace -f json migtrace-vfio.bt PID}). */
@Command(
        name = "bpftrace",
        header = "Make a trace from a saved 'bpftrace -f json' capture.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace import bpftrace capture.json.gz -o runs/host1 --host host1",
        },
        description = "The output of 'bpftrace -f json' running the capture script migtrace-vfio.bt (a file, gzip or not, "
                + "or - for standard input): the same trace 'record --bpftrace' writes live. Lost events, bpftrace's errors "
                + "and any other output are counted and printed at the end. Input that is not bpftrace JSON is refused "
                + "with file and line, and nothing is left behind; a last line cut off (a killed capture) is skipped and "
                + "the trace marked as not finished.")
public final class ImportBpftraceCommand implements Callable<Integer> {

    @Mixin
    ImportArgs args;

    @Option(names = "--host", paramLabel = "NAME", description = "The host name the rows carry (default: none).")
    String host;

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
        InputSource source = args.source(progress.hook());
        Manifest start = BpftraceImport.manifest(null, args.command("bpftrace", host),
                host == null ? List.of() : List.of(new Manifest.HostInfo(host, null, null)));
        BpftraceReport report;
        try {
            report = BpftraceImport.toTrace(source, args.output, start, BpftraceImport.Options.defaults().host(host));
        } catch (FileAlreadyExistsException e) {
            throw TraceDirs.exists(e);
        }
        if (!format.text()) {
            format.print(BpftraceOutput.summary(args.summary(), report));
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(args.imported() + RecordCommand.rows(args.output)
                + " (" + report.syscalls() + " syscalls, " + report.tracepoints() + " trace points)");
        BpftraceOutput.report(report, out);
        return 0;
    }
}
