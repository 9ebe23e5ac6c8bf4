package org.migtrace.cli.trace;

import java.io.PrintWriter;
import java.util.List;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Summary;
import org.migtrace.cli.output.Table;
import org.migtrace.recorder.importer.bpftrace.BpftraceReport;

/** How {@code import bpftrace} and {@code record --bpftrace} print what a capture held besides its rows. */
final class BpftraceOutput {
    private BpftraceOutput() {
    }

    /** Warnings and counts after the summary line: losses, diagnostics, other output, partial bitmaps. */
    static void report(BpftraceReport r, PrintWriter out) {
        if (r.lostEvents() > 0 || r.lossReports() > 0) {
            out.println("warning: " + TraceOutput.lostWarning(r.lostEvents()) + "; " + r.lossReports() + " loss report"
                    + (r.lossReports() == 1 ? "" : "s"));
        }
        if (!r.started()) {
            out.println("warning: no start line of " + "migtrace-vfio.bt" + ": the input is not (all) the capture script's output");
        }
        if (r.truncatedAtLine() > 0) {
            out.println("warning: the input ends in the middle of line " + r.truncatedAtLine()
                    + " (a capture cut short): that line is skipped and the trace is marked as not finished");
        } else if (r.started() && !r.ended()) {
            out.println("warning: no end line of the capture script: the capture did not stop cleanly (trace marked as not finished)");
        }
        if (r.partialBitmaps() > 0) {
            out.println("note: " + r.partialBitmaps() + " dirty bitmap" + (r.partialBitmaps() == 1 ? " was" : "s were")
                    + " larger than the capture limit (" + r.bitmapCap() + " bytes): their dirty runs cover the captured "
                    + "prefix only (args.bitmap_captured_bytes of args.bitmap_bytes)");
        }
        if (r.lateRows() > 0) {
            out.println("note: " + r.lateRows() + " row" + (r.lateRows() == 1 ? "" : "s")
                    + " entered before rows already written (calls longer than the reorder window): stamped no earlier "
                    + "than their predecessors, true entry time in args.entry_ts_ns");
        }
        if (r.orphanBlocks() > 0) {
            out.println("note: " + r.orphanBlocks() + " memory block" + (r.orphanBlocks() == 1 ? "" : "s")
                    + " without a call line (lost with it)");
        }
        messages("bpftrace " , r.diagnostics(), out, "diagnostic");
        messages("", r.otherOutput(), out, "other output");
    }

    /**
     * {@code summary} with the capture's facts: the calls and trace points, what was lost, how the input
     * ended, the partial bitmaps, late rows and orphan blocks; the rows are bpftrace's diagnostics and
     * other output, one per kind of message.
     */
    static Summary summary(Summary summary, BpftraceReport r) {
        summary.put("syscalls", r.syscalls()).put("tracepoints", r.tracepoints()).put("lost_events", r.lostEvents())
                .put("loss_reports", r.lossReports()).put("started", r.started()).put("ended", r.ended())
                .put("truncated_at_line", r.truncatedAtLine()).put("partial_bitmaps", r.partialBitmaps())
                .put("bitmap_cap", r.bitmapCap()).put("late_rows", r.lateRows()).put("orphan_blocks", r.orphanBlocks());
        Table.Builder t = Table.builder(Column.left("what"), Column.left("type"), Column.right("count"),
                Column.right("first_line"), Column.left("text"));
        r.diagnostics().forEach(m -> t.row("diagnostic", m.type(), m.count(), m.firstLine(), m.text()));
        r.otherOutput().forEach(m -> t.row("other output", m.type(), m.count(), m.firstLine(), m.text()));
        return summary.rows("messages", t.build());
    }

    private static void messages(String prefix, List<BpftraceReport.Message> messages, PrintWriter out, String what) {
        for (BpftraceReport.Message m : messages) {
            out.println(what + ": " + prefix + m.type() + " x" + m.count() + " (first at line " + m.firstLine() + "): " + m.text());
        }
    }
}
