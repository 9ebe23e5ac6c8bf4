package org.migtrace.cli.replay;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Table;
import org.migtrace.replay.DivergenceTable;
import org.migtrace.replay.ReplayResult;
import org.migtrace.replay.ReplaySummary;
import org.migtrace.replay.Replayer;
import org.migtrace.replay.Targets;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.uapi.MigtraceException.ErrorCode;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code migtrace replay TRACE --target NAME [--against NAME] [-o OUT]}: deterministic replay (docs/replay.md). */
@Command(
        name = "replay",
        header = "Replay a trace against a kernel model or bug variant; compare.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace replay runs/nic",
            "  migtrace replay runs/nic --target kernel --against precopy-dirty-bytes --format json",
            "  migtrace replay --list-targets",
        },
        description = {
            "Replay a trace's stimuli (the VMM's syscalls, the devices' memory writes) in seq order against a "
                    + "target and compare every outcome with the recording: return value and errno, the states a "
                    + "SET walked, returned dirty bitmaps page by page, data-fd sizes, pre-copy and stop-copy sizes. "
                    + "With --against, compare two targets on the same stimuli instead. docs/replay.md.",
            "Exit status 0 when nothing diverged, 1 when something did, 3 for a bad trace.",
        })
public final class ReplayCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", arity = "0..1", description = "A trace directory.")
    Path trace;

    @Option(names = {"-t", "--target"}, paramLabel = "NAME", defaultValue = "kernel",
            description = "The target to replay against (default: ${DEFAULT-VALUE}); --list-targets names them.")
    String target;

    @Option(names = "--against", paramLabel = "NAME",
            description = "A second target: report where the two differ from each other, not from the recording.")
    String against;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "A directory for the divergence table (" + DivergenceTable.FILE + ", Arrow IPC).")
    Path output;

    @Option(names = "--plugin", paramLabel = "JAR",
            description = "A jar with replay targets of your own (the SPI org.migtrace.replay.spi); repeatable.")
    List<Path> plugins = new ArrayList<>();

    @Option(names = "--list-targets", description = "List the targets, one line each, and exit.")
    boolean listTargets;

    @Mixin
    FormatMixin format;

    @Mixin
    ShowsProgress progress;

    @Mixin
    HelpMixin help;

    @Override
    public Integer call() throws MigtraceException, IOException {
        Targets targets = Targets.with(plugins);
        try {
            if (listTargets) {
                list(targets);
                return ExitCode.OK.status();
            }
            if (trace == null) {
                throw new MigtraceException(ErrorCode.USAGE, "replay needs a TRACE (or --list-targets)");
            }
            ReplayTargetFactory a = targets.get(target);
            ReplayTargetFactory b = against == null ? null : targets.get(against);
            ReplayResult r = Replayer.replay(trace, a, b, progress.hook());
            if (output != null) {
                DivergenceTable.write(output, r.divergences());
            }
            print(r);
            return r.diverged() ? ExitCode.FINDINGS.status() : ExitCode.OK.status();
        } finally {
            targets.close();
        }
    }

    private void list(Targets targets) {
        Table.Builder t = Table.builder(Column.left("target"), Column.left("description"));
        for (ReplayTargetFactory f : targets.all()) {
            t.row(f.name(), f.description());
        }
        format.print(t.build());
    }

    private void print(ReplayResult r) {
        PrintWriter out = format.out();
        switch (format.format()) {
            case JSON -> OutputFormat.writeJson(ReplaySummary.json(r), out);
            case CSV, MARKDOWN -> {
                Table.Builder t = Table.builder(Column.right("seq"), Column.left("host"), Column.left("op"),
                        Column.left("object"), Column.left("field"), Column.left("expected"), Column.left("actual"),
                        Column.left("note"));
                r.divergences().forEach(d -> t.row(d.seq(), d.host(), d.op(), d.object(), d.field(), d.expected(),
                        d.actual(), d.note()));
                format.print(t.build());
            }
            default -> {
                ReplaySummary.lines(r).forEach(out::println);
                out.flush();
            }
        }
    }
}
