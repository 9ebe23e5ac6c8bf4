package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.ScenarioOptions;
import org.migtrace.cli.ShowsProgress;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.sim.IterationProgress;
import org.migtrace.cli.sim.RunOutput;
import org.migtrace.recorder.Recording;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.sim.run.RunReport;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.uapi.MigtraceException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace record}: a trace of a simulated migration ({@code --scenario}), or a live capture
 * of a real host's QEMU with bpftrace ({@code --bpftrace --pid}, {@link LiveCapture}). Exit 0 once
 * the trace is written, whatever the migration's verdict (which is printed; {@code sim run} is the
 * command whose exit status is the verdict).
 */
@Command(
        name = "record",
        header = "Record a simulated migration, or a live QEMU with bpftrace.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  migtrace record --scenario nic-converges -o runs/nic",
            "  migtrace record --bpftrace --pid 4242 -o runs/host1",
        },
        description = {
            "Record a trace (docs/trace-format.md): of a simulated migration (as 'sim run' runs it: every syscall, "
                    + "device state change, memory write and migration step), or of a real QEMU process with bpftrace "
                    + "(its VFIO and IOMMUFD syscalls with their decoded arguments; docs/recording-a-real-host.md).",
            "Exit status 0 when the trace was written, whether or not the migration converged; 4 when bpftrace "
                    + "cannot run here (the message says what is missing).",
        })
public final class RecordCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "The trace directory to create (must not exist, or be empty).")
    Path output;

    @Mixin
    FormatMixin format;

    @Mixin
    ShowsProgress progress;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    /** One of the two ways to record. */
    static final class Mode {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Simulated migration:%n")
        Simulated simulated;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Live capture of a real host (bpftrace):%n")
        Live live;
    }

    /** {@code --scenario NAME|FILE [--seed N]}. */
    static final class Simulated {
        @Option(names = "--scenario", required = true, paramLabel = "NAME|FILE",
                description = "A built-in scenario's name, or a scenario file (YAML, or JSON when it ends in .json).")
        String scenario;

        @Option(names = "--seed", paramLabel = "N", description = "The seed of every random stream (default: the scenario's).")
        Long seed;
    }

    /** {@code --bpftrace --pid PID [...]}. */
    static final class Live {
        @Option(names = "--bpftrace", required = true,
                description = "Capture a running process with bpftrace (root, tracefs) until it exits or Ctrl-C.")
        boolean bpftrace;

        @Option(names = "--pid", required = true, paramLabel = "PID", description = "The QEMU process to follow.")
        int pid;

        @Option(names = "--bitmap-bytes", paramLabel = "N", defaultValue = "32768",
                description = "Dirty-bitmap bytes captured per call, at most 32768 (default: ${DEFAULT-VALUE}).")
        int bitmapBytes;

        @Option(names = "--no-usdt", description = "Do not attach QEMU's USDT trace points even when its binary has them.")
        boolean noUsdt;

        @Option(names = "--bpftrace-path", paramLabel = "PATH", defaultValue = "bpftrace",
                description = "The bpftrace executable (default: bpftrace on PATH).")
        String bpftracePath;

        @Option(names = "--dev-root", paramLabel = "DIR", hidden = true,
                description = "Look for VFIO's files below DIR (DIR/dev/vfio/...): for tests.")
        String devRoot;
    }

    @Override
    public Integer call() throws MigtraceException, IOException {
        TraceDirs.requireFresh(output);
        if (mode.live != null) {
            return live(mode.live);
        }
        Scenario s = ScenarioOptions.load(mode.simulated.scenario, spec.commandLine());
        long seed = mode.simulated.seed != null ? mode.simulated.seed : s.seed();
        Recording rec = Recording.of(s).seed(seed)
                .command("migtrace record --scenario " + s.name() + " --seed " + seed + " -o " + output);
        RunReport report;
        try {
            report = rec.to(output, new IterationProgress(s, progress.hook()));
        } catch (FileAlreadyExistsException e) {
            throw TraceDirs.exists(e);
        }
        if (!format.text()) {
            format.print(rows(new Summary().put("scenario", s.name()).put("seed", seed).put("trace", output.toString()), output)
                    .put("converged", report.verdict().converged()).put("verdict", RunOutput.verdictLine(report.verdict())));
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("recorded " + s.name() + " (seed " + seed + ") into " + output + ": " + rows(output));
        out.println(RunOutput.verdictLine(report.verdict()));
        out.println("next: migtrace info " + output + "   |   migtrace verify " + output);
        return 0;
    }

    private int live(Live l) throws MigtraceException, IOException {
        if (l.bitmapBytes < 0 || l.bitmapBytes > BpftraceScript.MAX_BITMAP_BYTES) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--bitmap-bytes " + l.bitmapBytes
                    + " is not in 0.." + BpftraceScript.MAX_BITMAP_BYTES);
        }
        BpftraceScript.Paths paths = l.devRoot == null ? BpftraceScript.Paths.defaults() : BpftraceScript.Paths.under(l.devRoot);
        String command = "migtrace record --bpftrace --pid " + l.pid + " -o " + output;
        try {
            return new LiveCapture(spec.commandLine().getOut(), spec.commandLine().getErr(), format.format())
                    .run(l.pid, output, l.bpftracePath, paths, l.bitmapBytes, !l.noUsdt, command);
        } catch (FileAlreadyExistsException e) {
            throw TraceDirs.exists(e);
        }
    }

    /** {@link #rows(Manifest)} of the trace just written in {@code dir} (opened for its manifest, and closed). */
    public static String rows(Path dir) throws MigtraceException, IOException {
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            return rows(trace.manifest());
        }
    }

    /** {@code summary} with the row count of each table of the trace in {@code dir}, and whether its capture finished. */
    static Summary rows(Summary summary, Path dir) throws MigtraceException, IOException {
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            return rows(summary, trace.manifest());
        }
    }

    /** {@code summary} with the row count of each table of {@code m}, and whether its capture finished. */
    static Summary rows(Summary summary, Manifest m) {
        for (Manifest.TableInfo t : m.tables()) {
            summary.put(t.name(), t.rows());
        }
        return summary.put("complete", m.complete());
    }

    static String rows(Manifest m) {
        StringBuilder sb = new StringBuilder();
        for (Manifest.TableInfo t : m.tables()) {
            sb.append(sb.length() > 0 ? ", " : "").append(t.rows()).append(' ').append(t.name().replace('_', ' '));
        }
        return sb.append(m.complete() ? "; capture complete" : "; capture did not finish").toString();
    }
}
