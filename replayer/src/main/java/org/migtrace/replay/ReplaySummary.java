package org.migtrace.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replay's result for people and for scripts: a few lines of text with the first divergence and
 * the events before it, or a JSON-ready map (keys in a fixed order) with the counts per field and the
 * first divergences.
 */
public final class ReplaySummary {
    /** Divergences listed one per line in the text and JSON forms (all are in the table). */
    public static final int LISTED = 20;

    private ReplaySummary() {
    }

    public static List<String> lines(ReplayResult r) {
        List<String> out = new ArrayList<>();
        String against = r.against() == null ? "the recording" : "target " + r.against();
        out.add("replay of " + r.trace() + " (" + r.origin() + ") on target " + r.target() + ", compared with "
                + against + ": "
                + r.compared() + " calls compared, " + r.stimuli() + " stimuli"
                + (r.derived() > 0 ? " (" + r.derived() + " memory writes derived from recorded bitmaps)" : ""));
        if (r.lostEvents() > 0) {
            out.add("warning: the capture lost " + r.lostEvents() + " events: a divergence after a loss may come "
                    + "from the missing calls rather than from the target (docs/replay.md)");
        }
        if (r.compared() == 0) {
            out.add("warning: nothing was compared: the trace has no syscalls with outcomes (a QEMU log has none; "
                    + "replay needs a simulated run or a syscall capture, docs/replay.md)");
        }
        if (!r.diverged()) {
            out.add("no divergence");
            return out;
        }
        out.add(r.divergences().size() + " divergences (" + byField(r).entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("") + ")");
        Divergence first = r.divergences().get(0);
        out.add("first divergence at #" + first.seq() + " (" + first.host() + ", t=" + first.tsNs() + " ns): "
                + describe(first));
        if (!r.context().isEmpty()) {
            out.add("before it:");
            r.context().forEach(c -> out.add("  " + c));
        }
        out.add("divergences:");
        r.divergences().stream().limit(LISTED).forEach(d -> out.add("  #" + d.seq() + " " + describe(d)));
        if (r.divergences().size() > LISTED) {
            out.add("  ... " + (r.divergences().size() - LISTED) + " more (all in the divergence table)");
        }
        return out;
    }

    /** {@code VFIO_DEVICE_FEATURE MIG_DEVICE_STATE SET -> PRE_COPY: ret expected 0, got -22 EINVAL}. */
    public static String describe(Divergence d) {
        String what = d.op() + (d.detail() == null || d.detail().isEmpty() ? "" : " " + d.detail())
                + (d.object() == null ? "" : " on " + d.object());
        return what + ": " + d.field() + " expected " + quote(d.expected()) + ", got " + quote(d.actual())
                + (d.note() == null || d.note().isEmpty() ? "" : " (" + d.note() + ")");
    }

    private static String quote(String s) {
        return s == null || s.isEmpty() ? "(none)" : s;
    }

    static Map<String, Long> byField(ReplayResult r) {
        Map<String, Long> n = new TreeMap<>();
        for (Divergence d : r.divergences()) {
            n.merge(d.field(), 1L, Long::sum);
        }
        return n;
    }

    public static Map<String, Object> json(ReplayResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace", r.trace());
        m.put("origin", r.origin());
        m.put("target", r.target());
        m.put("against", r.against());
        m.put("stimuli", r.stimuli());
        m.put("compared", r.compared());
        m.put("derived_writes", r.derived());
        m.put("lost_events", r.lostEvents());
        m.put("divergence_count", (long) r.divergences().size());
        m.put("by_field", byField(r));
        m.put("context", r.context());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Divergence d : r.divergences().subList(0, Math.min(LISTED, r.divergences().size()))) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("seq", d.seq());
            x.put("ts_ns", d.tsNs());
            x.put("host", d.host());
            x.put("op", d.op());
            x.put("object", d.object());
            x.put("detail", d.detail());
            x.put("field", d.field());
            x.put("expected", d.expected());
            x.put("actual", d.actual());
            x.put("note", d.note());
            list.add(x);
        }
        m.put("divergences", list);
        return m;
    }
}
