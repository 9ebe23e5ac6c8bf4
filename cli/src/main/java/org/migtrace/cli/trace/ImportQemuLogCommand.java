package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.output.Table;
import org.migtrace.recorder.importer.ImportOptions;
import org.migtrace.recorder.importer.Imported;
import org.migtrace.recorder.importer.Importers;
import org.migtrace.trace.Manifest;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code migtrace import qemu-log FILE|- -o TRACE [--host NAME]}. */
@Command(
        name = "qemu-log",
        header = "Make a trace from QEMU's trace log (the log backend).",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace import qemu-log /var/log/libvirt/qemu/guest1.log -o runs/guest1 --host src-host",
        },
        description = "QEMU's log trace backend output (-trace PATTERN with -D FILE), any era's line prefix: the"
                + " VFIO migration and dirty-tracking, migration and vmstate_downtime events of QEMU 8.0 to 10.x"
                + " become tracepoint rows, the migration's steps and iterations are derived; lines it does not"
                + " know are counted by name, not errors (docs/recording-a-real-host.md). gzip input is"
                + " recognized. Binary input is refused with file and line, and nothing is left behind.")
public final class ImportQemuLogCommand implements Callable<Integer> {

    /** The importer's name, which is this command's. */
    static final String NAME = "qemu-log";

    /** How many names of lines not understood are listed. */
    static final int LISTED = 10;

    @Mixin
    ImportArgs args;

    @Option(names = "--host", paramLabel = "NAME",
            description = "The host the log comes from (the log does not say): fills the rows' host column and the"
                    + " manifest.")
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
        Imported result;
        try {
            result = Importers.toTrace(Importers.byName(NAME).orElseThrow(), args.source(progress.hook()), args.output,
                    new ImportOptions(host, args.command(NAME, host)));
        } catch (FileAlreadyExistsException e) {
            throw TraceDirs.exists(e);
        }
        if (format.text()) {
            print(result, spec.commandLine().getOut());
        } else {
            format.print(summary(result));
        }
        return 0;
    }

    /** The import's facts: the trace's rows, the lines read, QEMU's version, the devices, every name not understood. */
    private Summary summary(Imported r) throws MigtraceException, IOException {
        Manifest m = r.manifest();
        Summary s = args.summary().put("lines", r.lines()).put("qemu", qemu(m))
                .put("devices", m.devices().stream().map(Manifest.DeviceInfo::name).toList())
                .put("not_understood", r.notUnderstoodTotal());
        Table.Builder names = Table.builder(Column.left("name"), Column.right("lines"));
        r.notUnderstoodByFrequency().forEach(e -> names.row(e.getKey(), e.getValue()));
        return s.rows("not_understood_by_name", names.build());
    }

    /** QEMU's version as the import inferred it, or {@code unknown}. */
    private static String qemu(Manifest m) {
        return m.hosts().isEmpty() || m.hosts().get(0).qemu() == null ? "unknown" : m.hosts().get(0).qemu();
    }

    private void print(Imported r, PrintWriter out) {
        out.println(args.imported() + r.events() + " events, " + r.iterations()
                + " iterations from " + r.lines() + " lines");
        Manifest m = r.manifest();
        String qemu = qemu(m);
        List<String> devices = m.devices().stream().map(Manifest.DeviceInfo::name).toList();
        out.println("QEMU " + qemu + "; devices: " + (devices.isEmpty() ? "none named" : String.join(", ", devices)));
        long skipped = r.notUnderstoodTotal();
        out.println("lines not understood: " + skipped + (skipped == 0 ? "" : " (counted, not imported)"));
        List<Map.Entry<String, Long>> top = r.notUnderstoodByFrequency();
        int width = top.isEmpty() ? 0 : Long.toString(top.get(0).getValue()).length();
        for (int i = 0; i < Math.min(LISTED, top.size()); i++) {
            String n = Long.toString(top.get(i).getValue());
            out.println("  " + " ".repeat(width - n.length()) + n + "  " + top.get(i).getKey());
        }
        if (top.size() > LISTED) {
            out.println("  ... and " + (top.size() - LISTED) + " more names (all in the manifest's notes)");
        }
        out.println("next: migtrace info " + args.output + "   |   migtrace export jsonl " + args.output);
        out.flush();
    }
}
