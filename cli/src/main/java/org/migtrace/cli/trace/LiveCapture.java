package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Summary;
import org.migtrace.recorder.importer.bpftrace.BpftraceCapture;
import org.migtrace.recorder.importer.bpftrace.BpftraceImport;
import org.migtrace.recorder.importer.bpftrace.BpftraceScript;
import org.migtrace.uapi.MigtraceException;

/**
 * {@code record --bpftrace}: runs a {@link BpftraceCapture} and talks about it: one line on stderr
 * once bpftrace has attached, a progress line on a terminal (events, lost events, rate), and at the
 * end the summary and whatever the capture reported besides rows.
 */
final class LiveCapture {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    /** @param format how the summary at the end is printed ({@code table}: the lines below) */
    LiveCapture(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    int run(int pid, Path dir, String bpftrace, BpftraceScript.Paths paths, int bitmapBytes, boolean usdt, String command)
            throws MigtraceException, IOException {
        boolean terminal = System.console() != null;
        long startNs = System.nanoTime();
        BpftraceImport.Progress progress = new BpftraceImport.Progress() {
            @Override
            public void started(long probes) {
                err.println("migtrace: capturing pid " + pid + " into " + dir + " (bpftrace attached "
                        + (probes < 0 ? "its" : Long.toString(probes)) + " probes); stops when the process exits, or Ctrl-C");
                err.flush();
            }

            @Override
            public void update(long rows, long lost, long lines, int held) {
                if (terminal) {
                    double secs = Math.max(1e-9, (System.nanoTime() - startNs) / 1e9);
                    err.printf("\r%,d events, %,d lost, %,.0f lines/s   ", rows + held, lost, lines / secs);
                    err.flush();
                }
            }
        };
        BpftraceImport.Options options = BpftraceImport.Options.defaults().progress(TimeUnit.SECONDS.toNanos(1), progress);
        BpftraceCapture capture = BpftraceCapture.of(new BpftraceCapture.Request(pid, dir, bpftrace, paths, bitmapBytes,
                usdt, command));
        capture.run(options, result -> {
            if (terminal) {
                err.println();
            }
            for (String line : result.stderr()) {
                err.println("bpftrace: " + line);
            }
            err.flush();
            if (format != OutputFormat.TABLE) {
                Summary s = RecordCommand.rows(new Summary().put("pid", pid).put("trace", dir.toString()), result.manifest())
                        .put("bpftrace_version", result.bpftraceVersion())
                        .put("bpftrace_exit_status", result.exitStatus()).put("open_fds", result.openFds())
                        .put("usdt_probes", result.usdtProbes());
                BpftraceOutput.summary(s, result.report()).write(format, out);
                return;
            }
            out.println("recorded pid " + pid + " into " + dir + ": " + RecordCommand.rows(result.manifest()));
            out.println("bpftrace: " + (result.bpftraceVersion() == null ? "version unknown" : result.bpftraceVersion())
                    + ", exit status " + result.exitStatus() + "; " + result.openFds() + " fds already open followed; "
                    + result.usdtProbes() + " USDT probes");
            BpftraceOutput.report(result.report(), out);
            out.println("next: migtrace info " + dir + "   |   migtrace verify " + dir);
            out.flush();
        });
        return 0;
    }
}
