package org.migtrace.analysis;

import java.nio.file.Path;
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
 */
public record Analysis(Path trace, QueryResult verdict, QueryResult convergence, QueryResult iterations,
                       QueryResult violations) {

    public static Analysis of(TraceDatabase db) throws MigtraceException {
        return new Analysis(db.trace(), db.query("SELECT * FROM verdict"), db.query("SELECT * FROM convergence"),
                db.query(Question.ITERATION_TABLE.sql()), db.query("SELECT * FROM violations"));
    }

    /** Whether the trace shows a problem: a host that did not converge, or a violation worse than info. */
    public boolean hasFindings() {
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
