package org.migtrace.cli.trace;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.migtrace.cli.ExitCode;
import org.migtrace.cli.FormatMixin;
import org.migtrace.cli.HelpMixin;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.output.Table;
import org.migtrace.trace.TraceVerifier;
import org.migtrace.trace.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code migtrace verify TRACE}: format, version, checksums, seq order and references between
 * tables. Exit 0 when nothing is wrong — including a capture cut short by a crash whose prefix is
 * intact — and 1 when problems were found, each printed with its file and place.
 */
@Command(
        name = "verify",
        header = "Check a trace's files, checksums, order and references.",
        footerHeading = "%nExample:%n",
        footer = {
            "  migtrace verify runs/nic",
        },
        description = {
            "Check a trace: format and version, every table file, row counts and checksums (CRC-32C; SHA-256 in format 2.0), seq "
                    + "and time order, and references between tables. Says what is wrong and how many events are "
                    + "intact.",
            "Exit status 0 when the trace is sound (a capture cut short whose prefix is intact is sound), "
                    + "1 when problems were found.",
        })
public final class VerifyCommand implements Callable<Integer> {

    @Parameters(paramLabel = "TRACE", description = "A trace directory.")
    Path trace;

    @Mixin
    FormatMixin format;

    @Mixin
    HelpMixin help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        VerificationReport report = TraceVerifier.verify(trace);
        if (!format.text()) {
            format.print(summary(report));
            return report.ok() ? ExitCode.OK.status() : ExitCode.FINDINGS.status();
        }
        PrintWriter out = spec.commandLine().getOut();
        String verdict = report.verdict();
        out.println(trace + ": " + verdict);
        for (VerificationReport.Problem p : report.problems()) {
            out.println("  problem (" + p.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + p.describe());
        }
        for (String note : report.notes()) {
            if (!verdict.contains(note)) { // the verdict line may already say it
                out.println("  note: " + note);
            }
        }
        if (report.lostEvents() > 0) {
            out.println("  warning: " + TraceOutput.lostWarning(report.lostEvents()));
        }
        return report.ok() ? ExitCode.OK.status() : ExitCode.FINDINGS.status();
    }

    /** The verdict, what the trace holds and its notes; the problems as rows. */
    private Summary summary(VerificationReport r) {
        Summary s = new Summary().put("trace", trace.toString()).put("ok", r.ok()).put("verdict", r.verdict())
                .put("format_version", r.formatVersion()).put("capture_complete", r.captureComplete())
                .put("intact_events", r.intactEvents()).put("lost_events", r.lostEvents()).put("notes", r.notes());
        Table.Builder problems = Table.builder(Column.left("kind"), Column.left("file"), Column.left("where"),
                Column.left("message"), Column.right("occurrences"));
        r.problems().forEach(p -> problems.row(p.kind().name().toLowerCase(java.util.Locale.ROOT), p.file(), p.where(),
                p.message(), p.occurrences()));
        return s.rows("problems", problems.build());
    }
}
