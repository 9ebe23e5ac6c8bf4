package org.migtrace.replay.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.migtrace.replay.Divergence;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Errno;

/**
 * Compares two outcomes of one syscall, part by part: return value (with errno), the states walked,
 * the dirty bitmap (pages missing and extra, as runs), and each value both outcomes have.
 */
public final class OutcomeCompare {
    /** Runs listed in a bitmap divergence's note, per side. */
    private static final int RUNS_SHOWN = 8;

    private OutcomeCompare() {
    }

    /**
     * The divergences between {@code expected} and {@code actual}; the states walked only when
     * {@code states} (a capture of a real host has no record of them).
     */
    public static List<Divergence> compare(RecordedEvent e, Outcome expected, Outcome actual, boolean states) {
        List<Divergence> out = new ArrayList<>();
        if (expected.ret() != null && actual.ret() != null && !expected.ret().equals(actual.ret())) {
            out.add(d(e, "ret", ret(expected.ret()), ret(actual.ret()), ""));
        }
        if (states && !expected.states().equals(actual.states())) {
            out.add(d(e, "states", String.join(", ", expected.states()), String.join(", ", actual.states()), ""));
        }
        if (expected.bitmap() != null && actual.bitmap() != null && !expected.bitmap().equals(actual.bitmap())) {
            PageRuns missing = expected.bitmap().minus(actual.bitmap());
            PageRuns extra = actual.bitmap().minus(expected.bitmap());
            String note = (missing.isEmpty() ? "" : "missing " + missing.describe(RUNS_SHOWN))
                    + (!missing.isEmpty() && !extra.isEmpty() ? "; " : "")
                    + (extra.isEmpty() ? "" : "extra " + extra.describe(RUNS_SHOWN));
            out.add(d(e, "bitmap", pages(expected.bitmap()), pages(actual.bitmap()), note));
        }
        for (Map.Entry<String, String> v : expected.values().entrySet()) {
            String other = actual.values().get(v.getKey());
            if (other != null && !other.equals(v.getValue())) {
                out.add(d(e, v.getKey(), v.getValue(), other, ""));
            }
        }
        return out;
    }

    private static String pages(PageRuns p) {
        long n = p.pageCount();
        return n + (n == 1 ? " page" : " pages");
    }

    private static Divergence d(RecordedEvent e, String field, String expected, String actual, String note) {
        String object = e.device() != null ? e.device() : e.object();
        return new Divergence(e.seq(), e.tsNs(), e.host(), e.op(), object, detail(e), field, expected, actual, note);
    }

    /** {@code 0}, or {@code -22 EINVAL}. */
    public static String ret(long ret) {
        if (ret == Outcome.NO_RETURN) {
            return "no return (the call hangs)";
        }
        if (ret >= 0) {
            return Long.toString(ret);
        }
        return ret + Errno.ofReturn(ret).map(x -> " " + x.name()).orElse("");
    }

    /** The request in a few words: feature and ops, the requested state, the range. */
    public static String detail(RecordedEvent e) {
        StringBuilder sb = new StringBuilder();
        if (e.feature() != null) {
            sb.append(e.feature());
            if (e.featureOps() != null) {
                sb.append(' ').append(e.featureOps());
            }
        }
        if (e.requestedState() != null) {
            sb.append(sb.length() > 0 ? " " : "").append("-> ").append(e.requestedState());
        }
        if (e.iova() != null && e.length() != null) {
            sb.append(sb.length() > 0 ? " " : "").append("iova 0x").append(Long.toHexString(e.iova()))
                    .append(" length 0x").append(Long.toHexString(e.length()));
        }
        if (e.count() != null && e.op() != null && !e.op().startsWith("VFIO") && !e.op().startsWith("IOMMU")) {
            sb.append(sb.length() > 0 ? " " : "").append("count ").append(e.count());
        }
        return sb.toString();
    }
}
