package org.migtrace.recorder.importer.bpftrace;

import java.util.List;

/**
 * What an import of bpftrace output found, beyond the rows: everything the stream said that is not
 * an event of the trace is counted here, never dropped silently. The command prints it at the end.
 *
 * @param source          the input as named in messages
 * @param lines           JSON objects read
 * @param rows            events rows written (syscalls, trace points, loss markers, diagnostics)
 * @param syscalls        syscall rows
 * @param tracepoints     VMM trace point rows (USDT)
 * @param lostEvents      events bpftrace said it lost, summed over its {@code lost_events} lines
 * @param lossReports     {@code lost_events} lines (each is a {@code lost} row)
 * @param attachedProbes  what {@code attached_probes} said, or null when it did not appear
 * @param scriptVersion   the capture script's version from its start line; 0 when the stream has none
 * @param bitmapCap       the script's dirty-bitmap capture limit in bytes; 0 when unknown
 * @param started         the script's start line was read
 * @param ended           the script's end line was read: the capture stopped cleanly
 * @param truncatedAtLine the line the input ended in the middle of (a killed capture), or 0
 * @param lateRows        rows written after rows that entered later (calls longer than the reorder window)
 * @param partialBitmaps  returned dirty bitmaps of which only a prefix was captured
 * @param orphanBlocks    memory blocks that no call line followed (a capture cut short)
 * @param diagnostics     bpftrace's errors and warnings, by type and text
 * @param otherOutput     every other kind of output (maps, histograms, stats, time, other printf text), by type
 */
public record BpftraceReport(String source, long lines, long rows, long syscalls, long tracepoints, long lostEvents,
                             long lossReports, Long attachedProbes, long scriptVersion, long bitmapCap, boolean started,
                             boolean ended, long truncatedAtLine, long lateRows, long partialBitmaps, long orphanBlocks,
                             List<Message> diagnostics, List<Message> otherOutput) {

    /** Messages of one type and text: how many, and the first line they were on. */
    public record Message(String type, String text, long count, long firstLine) {
    }

    public BpftraceReport {
        diagnostics = List.copyOf(diagnostics);
        otherOutput = List.copyOf(otherOutput);
    }

    /** Whether the capture finished cleanly: the script's end line was read and nothing was cut off. */
    public boolean complete() {
        return ended && truncatedAtLine == 0;
    }
}
