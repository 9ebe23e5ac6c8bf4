package org.migtrace.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.migtrace.trace.WorkProgress;
import org.migtrace.uapi.MigtraceException;

/**
 * What {@code migtrace analyze} reports about one trace: the verdict, the convergence table (raw,
 * and in reading units) and the protocol violations, each the rows of a named query.
 *
 * @param trace      the trace directory
 * @param verdict    the verdict view: one row per migrating host
 * @param convergence the convergence view (raw units)
 * @param iterations the iteration table in reading units (questions/iteration_table.sql)
 * @param violations the violations view
 * @param replay     the replay's divergence table loaded with the trace, or null when none was
 * @param divergences the divergences (questions/divergence_table.sql); no rows without a replay
 */
public record Analysis(Path trace, QueryResult verdict, QueryResult convergence, QueryResult iterations,
                       QueryResult violations, Path replay, QueryResult divergences) {

    /** The steps of an analysis, as its progress counts them: the views materialized, then each of five queries. */
    public static final int STEPS = 6;

    public static Analysis of(TraceDatabase db) throws MigtraceException {
        return of(db, WorkProgress.NONE);
    }

    /**
     * As {@link #of(TraceDatabase)}, telling {@code progress} the steps done of {@link #STEPS}: the views
     * an analysis reads often materialized, then the verdict, convergence, iteration, violation (every
     * rule in one query) and divergence queries.
     */
    public static Analysis of(TraceDatabase db, WorkProgress progress) throws MigtraceException {
        db.requireTrace();
        db.materializeForAnalysis();
        progress.done(1, STEPS);
        QueryResult verdict = db.query("SELECT * FROM verdict");
        progress.done(2, STEPS);
        QueryResult convergence = db.query("SELECT * FROM convergence");
        progress.done(3, STEPS);
        QueryResult iterations = db.query(Question.ITERATION_TABLE.sql());
        progress.done(4, STEPS);
        QueryResult violations = db.query("SELECT * FROM violations");
        progress.done(5, STEPS);
        QueryResult divergences = db.query(Question.DIVERGENCE_TABLE.sql());
        progress.done(STEPS, STEPS);
        return new Analysis(db.trace(), verdict, convergence, iterations, violations, db.replay().orElse(null),
                divergences);
    }

    /** Whether a replay's divergences were loaded with the trace (even if there are none). */
    public boolean hasReplay() {
        return replay != null;
    }

    /**
     * One line about the replay: how many divergences and the first, which is the one to read
     * (docs/replay.md: the later ones are consequences under the recorded script); empty without a
     * replay.
     */
    public List<String> replayLines() {
        if (!hasReplay()) {
            return List.of();
        }
        QueryResult d = divergences;
        if (d.rows().isEmpty()) {
            return List.of("replay " + replay + ": no divergence");
        }
        String first = "replay " + replay + ": " + d.rows().size() + (d.rows().size() == 1 ? " divergence" : " divergences")
                + "; the first at seq " + d.get(0, "seq") + ", " + d.get(0, "op")
                + (d.get(0, "detail") == null ? "" : " " + d.get(0, "detail")) + " on " + d.get(0, "object") + ": "
                + d.get(0, "field") + " expected " + d.get(0, "expected") + ", got " + d.get(0, "actual");
        Object lost = d.get(0, "lost_before");
        return lost instanceof Number n && n.longValue() > 0
                ? List.of(first, "  after " + n + " lost events: suspect the loss before the target")
                : List.of(first);
    }

    /** One line per host: the verdict, its reasons and what would make it converge. */
    public List<String> verdictLines() {
        List<String> lines = new ArrayList<>();
        QueryResult v = verdict;
        if (v.rows().isEmpty()) {
            lines.add("no pre-copy iterations in the trace: no verdict");
        }
        for (int i = 0; i < v.rows().size(); i++) {
            String host = (String) v.get(i, "host");
            StringBuilder b = new StringBuilder(host == null ? "migration" : host).append(": ");
            if ("converged".equals(v.get(i, "status"))) {
                b.append("converged at iteration ").append(v.get(i, "converged_at"));
            } else {
                b.append("not converging after ").append(v.get(i, "passes")).append(" iterations: ")
                        .append(v.get(i, "reasons") == null || "".equals(v.get(i, "reasons"))
                                ? v.get(i, "reason") : v.get(i, "reasons"));
            }
            lines.add(b.toString());
            lines.add("  would converge with: bandwidth above " + mbps(v.get(i, "needed_bandwidth"))
                    + " (measured " + mbps(v.get(i, "bandwidth")) + "), or a downtime limit of "
                    + ms(v.get(i, "needed_downtime_limit_ms")) + " (set " + ms(v.get(i, "downtime_limit_ms")) + ")");
        }
        lostEventsLine().ifPresent(lines::add);
        return lines;
    }

    /** The caveat of a capture that lost events (rule MIG-CAP-001): what it says about the lines above. */
    private java.util.Optional<String> lostEventsLine() {
        List<String> where = new ArrayList<>();
        for (int i = 0; i < violations.rows().size(); i++) {
            if (LOST_EVENTS_RULE.equals(violations.get(i, "rule_id"))) {
                Object seq = violations.get(i, "seq");
                where.add(seq == null ? "the manifest's count" : "seq " + seq);
            }
        }
        return where.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("uncertain: the capture lost events ("
                + LOST_EVENTS_RULE + " at " + String.join(", ", where) + "): counts, the verdict and the rules near them"
                + " may be wrong");
    }

    /** The rule that marks where a capture lost events (rules/lost_events.sql). */
    static final String LOST_EVENTS_RULE = "MIG-CAP-001";

    private static String mbps(Object bytesPerS) {
        return bytesPerS == null ? "?" : String.format(Locale.ROOT, "%.1f MB/s", ((Number) bytesPerS).doubleValue() / 1e6);
    }

    private static String ms(Object v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%.1f ms", ((Number) v).doubleValue());
    }

    /**
     * Whether the trace shows a problem: a host that did not converge, a violation worse than info,
     * or a divergence of the replay given with it.
     */
    public boolean hasFindings() {
        if (!divergences.rows().isEmpty()) {
            return true;
        }
        for (Object status : verdict.values("status")) {
            if (!"converged".equals(status)) {
                return true;
            }
        }
        for (Object severity : violations.values("severity")) {
            if (!"info".equals(severity)) {
                return true;
            }
        }
        return false;
    }
}
