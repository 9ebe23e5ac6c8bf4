package org.migtrace.recorder.importer.bpftrace.internal;

import java.util.List;
import java.util.Map;
import org.migtrace.sim.Sys;

/**
 * Something waiting in the {@link ReorderBuffer} to become a row: a syscall, a VMM trace point, a
 * loss marker or a bpftrace diagnostic. Each has the time its row is stamped with and its place in
 * the input, {@code arrival}: the number of the JSON object it came from (which breaks ties, so
 * equal times keep the input's order).
 */
public sealed interface Pending permits Pending.Call, Pending.Tracepoint, Pending.Lost, Pending.Diagnostic {
    long tsNs();

    long arrival();

    /** A syscall the script saw, with the memory it copied. */
    record Call(long tsNs, long arrival, long t1, int pid, int tid, String thread, Sys sys, int fd, int kind,
                long cmd, long arg, long count, long offset, long ret, long[] in, long[] out, long bitmap,
                long bitmapCaptured, String path, List<long[]> blocks) implements Pending {
    }

    /** A trace point of the VMM (a USDT probe), already in the JSON-lines form: column values and args. */
    record Tracepoint(long tsNs, long arrival, Map<String, Object> columns, String args) implements Pending {
    }

    /** bpftrace reported {@code count} events lost here. */
    record Lost(long tsNs, long arrival, long count, long line) implements Pending {
    }

    /** An error or warning bpftrace printed ({@code type} is its envelope type); {@code details} become args. */
    record Diagnostic(long tsNs, long arrival, String type, Map<String, Object> details) implements Pending {
    }
}
