package org.migtrace.recorder.importer.qemulog.internal;

import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * A line of QEMU's log as the {@code log} trace backend and {@code qemu_log()} print it, split into
 * its prefix, the event name and the rest. Three shapes, by era
 * ({@code scripts/tracetool/backend/log.py}, {@code util/log.c: qemu_log}):
 * <ul>
 *   <li>{@link Shape#TID_TIMESTAMP} {@code 83112@1753122905.917608:vfio_save_block  (0000:3b:00.1) data_size 1048576}:
 *       the backend's own prefix, always printed before 6.0 (with {@code getpid()}) and with
 *       {@code -msg timestamp=on} from 6.0 until the 2025 change (with {@code qemu_get_thread_id()},
 *       a thread id); seconds and microseconds of {@code gettimeofday};</li>
 *   <li>{@link Shape#PLAIN} {@code vfio_save_block  (0000:3b:00.1) data_size 1048576}: the same
 *       without {@code -msg timestamp=on};</li>
 *   <li>{@link Shape#ISO_TIMESTAMP} {@code 2025-07-21T18:43:28.089797Z vfio_save_block  (...) ...}:
 *       after the July 2025 change, {@code qemu_log()} prefixes every message, trace or not, with
 *       {@code g_date_time_format_iso8601()} of the UTC time (microseconds, left out when zero) and a
 *       space; there is no thread id.</li>
 * </ul>
 * The backend prints {@code name + " " + format}, so the rest is what follows that one space (many
 * VFIO formats start with {@code " (%s)"}, hence two spaces after their names).
 *
 * @param shape the prefix the line has
 * @param tid   the number before {@code @}, or -1
 * @param tsNs  the prefix's time as nanoseconds since the Unix epoch (UTC), or -1 when none
 * @param name  the word where an event name would be: lower-case letters, digits, underscores,
 *              followed by a space or the end of the line; null when the line has no such word
 * @param rest  the text after the name and its space ("" at the end of the line)
 */
public record LogLine(Shape shape, int tid, long tsNs, String name, String rest) {

    /** Seconds whose nanoseconds still fit in an int64 (the year 2255). */
    private static final long MAX_SECONDS = 9_000_000_000L;

    /** The prefix of a line. */
    public enum Shape {
        TID_TIMESTAMP, PLAIN, ISO_TIMESTAMP
    }

    /** Whether the line carries a time. */
    public boolean stamped() {
        return tsNs >= 0;
    }

    /** Splits {@code text}; never null (a line without an event-like word has a null name). */
    public static LogLine parse(String text) {
        LogLine l = tidPrefix(text);
        if (l == null) {
            l = isoPrefix(text);
        }
        return l != null ? l : word(text, 0, Shape.PLAIN, -1, -1);
    }

    /** {@code DIGITS@SECONDS.FRACTION:} then the name right after the colon. */
    private static LogLine tidPrefix(String s) {
        int at = digitsEnd(s, 0);
        if (at == 0 || at > 10 || at >= s.length() || s.charAt(at) != '@') {
            return null;
        }
        int dot = digitsEnd(s, at + 1);
        if (dot == at + 1 || dot - at - 1 > 10 || dot >= s.length() || s.charAt(dot) != '.') {
            return null;
        }
        int colon = digitsEnd(s, dot + 1);
        if (colon == dot + 1 || colon - dot - 1 > 9 || colon >= s.length() || s.charAt(colon) != ':') {
            return null;
        }
        long tid = Long.parseLong(s, 0, at, 10);
        if (tid > Integer.MAX_VALUE) {
            return null;
        }
        long sec = Long.parseLong(s, at + 1, dot, 10);
        if (sec > MAX_SECONDS) {
            return null;
        }
        long ns = sec * 1_000_000_000L + fraction(s, dot + 1, colon);
        return word(s, colon + 1, Shape.TID_TIMESTAMP, (int) tid, ns);
    }

    /** {@code YYYY-MM-DDTHH:MM:SS[.FFFFFF]Z } then the name. */
    private static LogLine isoPrefix(String s) {
        if (s.length() < 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return null;
        }
        int[] f = new int[6];
        int[] at = {0, 5, 8, 11, 14, 17};
        int[] len = {4, 2, 2, 2, 2, 2};
        for (int i = 0; i < 6; i++) {
            if (digitsEnd(s, at[i]) != at[i] + len[i]) {
                return null;
            }
            f[i] = Integer.parseInt(s, at[i], at[i] + len[i], 10);
        }
        int i = 19;
        long frac = 0;
        if (i < s.length() && s.charAt(i) == '.') {
            int end = digitsEnd(s, i + 1);
            if (end == i + 1 || end - i - 1 > 9) {
                return null;
            }
            frac = fraction(s, i + 1, end);
            i = end;
        }
        if (i + 1 >= s.length() || s.charAt(i) != 'Z' || s.charAt(i + 1) != ' ' || f[3] > 23 || f[4] > 59 || f[5] > 60) {
            return null;
        }
        long day;
        try {
            day = LocalDate.of(f[0], f[1], f[2]).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        long sec = day * 86_400L + f[3] * 3_600L + f[4] * 60L + f[5];
        return word(s, i + 2, Shape.ISO_TIMESTAMP, -1, sec * 1_000_000_000L + frac);
    }

    /** The event-like word at {@code from}. */
    private static LogLine word(String s, int from, Shape shape, int tid, long ts) {
        int i = from;
        while (i < s.length() && isNameChar(s.charAt(i))) {
            i++;
        }
        if (i == from || (i < s.length() && s.charAt(i) != ' ')) {
            return new LogLine(shape, tid, ts, null, s.substring(from));
        }
        return new LogLine(shape, tid, ts, s.substring(from, i), i < s.length() ? s.substring(i + 1) : "");
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static int digitsEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Digits after a decimal point as nanoseconds ({@code 917608} is 917608000 ns). */
    private static long fraction(String s, int from, int to) {
        long v = Long.parseLong(s, from, to, 10);
        for (int k = to - from; k < 9; k++) {
            v *= 10;
        }
        return v;
    }
}
