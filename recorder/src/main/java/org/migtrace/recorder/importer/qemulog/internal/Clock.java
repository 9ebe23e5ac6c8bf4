package org.migtrace.recorder.importer.qemulog.internal;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code ts_ns} of each imported event. A line's own time when it has one (nanoseconds since the
 * Unix epoch, UTC: QEMU prints the wall clock, {@code gettimeofday} or {@code g_date_time_new_now_utc},
 * to the microsecond); a line without one takes the previous event's, or, in a log without any times
 * so far, its line number, which keeps the order. Times never go back: QEMU takes a line's time
 * before it takes the log lock, so two threads can print in the other order; such a line keeps its
 * place in the file and the previous event's time.
 */
final class Clock {
    private long last = Long.MIN_VALUE;
    private boolean anyStamped;
    private long stamped;
    private long unstamped;
    private long raised;
    private final Set<LogLine.Shape> shapes = EnumSet.noneOf(LogLine.Shape.class);

    /** The time of an event on {@code line} (1-based). */
    long ts(LogLine line, long lineNumber) {
        shapes.add(line.shape());
        long t;
        if (line.stamped()) {
            stamped++;
            anyStamped = true;
            t = line.tsNs();
            if (t < last) {
                raised++;
                t = last;
            }
        } else {
            unstamped++;
            t = anyStamped ? last : Math.max(lineNumber, last);
        }
        last = t;
        return t;
    }

    /** The last time handed out, or 0 when none was. */
    long last() {
        return last == Long.MIN_VALUE ? 0 : last;
    }

    /** Whether any event line had a {@code pid@} prefix. */
    boolean sawTids() {
        return shapes.contains(LogLine.Shape.TID_TIMESTAMP);
    }

    /** What a reader of the trace should know about its times. */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        if (stamped > 0) {
            List<String> kinds = new ArrayList<>();
            if (shapes.contains(LogLine.Shape.TID_TIMESTAMP)) {
                kinds.add("pid@seconds.microseconds prefixes");
            }
            if (shapes.contains(LogLine.Shape.ISO_TIMESTAMP)) {
                kinds.add("ISO-8601 prefixes");
            }
            out.add("ts_ns: the log's own timestamps (" + String.join(", ", kinds)
                    + "): wall-clock time, UTC, to the microsecond");
        }
        if (unstamped > 0 && stamped == 0) {
            out.add("ts_ns: the log has no timestamps (QEMU 6.0-10.0 prints them only with -msg timestamp=on), so"
                    + " ts_ns is the line number: it keeps the order, not the time; iterations' time_ns and duration_ns"
                    + " count lines");
        } else if (unstamped > 0) {
            out.add("ts_ns: " + unstamped + " events had no timestamp and took the previous event's");
        }
        if (raised > 0) {
            out.add("ts_ns: " + raised + " events were timestamped before the line above them (QEMU takes the time"
                    + " before the log lock): kept in file order with the previous event's time");
        }
        if (sawTids()) {
            out.add("tid: the number before @ (qemu_get_thread_id() since QEMU 6.0; the process id before)");
        }
        return out;
    }
}
