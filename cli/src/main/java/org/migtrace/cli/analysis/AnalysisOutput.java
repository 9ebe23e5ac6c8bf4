package org.migtrace.cli.analysis;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.analysis.Analysis;
import org.migtrace.analysis.QueryResult;
import org.migtrace.analysis.Rule;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.OutputFormat;
import org.migtrace.cli.output.Table;

/**
 * How {@code analyze} prints: for a terminal or Markdown, the verdict in words, the iteration table
 * in reading units and the violations; CSV, the convergence view's raw rows, a blank line, the
 * violations; JSON, one document with the three (raw units); each with the replay's divergences
 * after them when a replay was given. Several traces: the verdicts and the
 * pending bytes per iteration side by side, one column per trace.
 */
final class AnalysisOutput {

    private AnalysisOutput() {
    }

    static void one(Analysis a, OutputFormat format, PrintWriter out) {
        switch (format) {
            case JSON -> OutputFormat.writeJson(document(a), out);
            case CSV -> {
                format.write(Tables.of(a.convergence()), out);
                out.println();
                format.write(Tables.of(a.violations()), out);
                if (a.hasReplay()) {
                    out.println();
                    format.write(Tables.of(a.divergences()), out);
                }
            }
            default -> {
                String bullet = format == OutputFormat.MARKDOWN ? "- " : "";
                out.println(bullet + "trace " + a.trace());
                for (String line : a.verdictLines()) {
                    out.println(bullet + line);
                }
                out.println();
                format.write(Tables.of(a.iterations()), out);
                out.println();
                if (a.violations().rows().isEmpty()) {
                    out.println("no protocol violations (" + Rule.catalog().size() + " rules checked)");
                } else {
                    format.write(Tables.of(a.violations()), out);
                }
                if (a.hasReplay()) {
                    out.println();
                    for (String line : a.replayLines()) {
                        out.println(bullet + line);
                    }
                    if (!a.divergences().rows().isEmpty()) {
                        out.println();
                        format.write(Tables.of(a.divergences()), out);
                    }
                }
            }
        }
    }

    static void sideBySide(List<Analysis> all, OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            List<Object> docs = new ArrayList<>();
            for (Analysis a : all) {
                docs.add(document(a));
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("traces", docs);
            OutputFormat.writeJson(doc, out);
            return;
        }
        List<String> names = names(all);
        format.write(comparison(all, names), out);
        out.println();
        format.write(pendingPerIteration(all, names), out);
    }

    static Map<String, Object> document(Analysis a) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("trace", a.trace().toString());
        doc.put("verdict", records(a.verdict()));
        doc.put("iterations", records(a.convergence()));
        doc.put("violations", records(a.violations()));
        if (a.hasReplay()) {
            doc.put("replay", a.replay().toString());
            doc.put("divergences", records(a.divergences()));
        }
        return doc;
    }

    static List<Map<String, Object>> records(QueryResult r) {
        return Tables.of(r).records();
    }

    /** Column names for the traces: their directory names, numbered when two are the same. */
    static List<String> names(List<Analysis> all) {
        Map<String, Integer> seen = new TreeMap<>();
        for (Analysis a : all) {
            seen.merge(a.trace().getFileName().toString(), 1, Integer::sum);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String n = all.get(i).trace().getFileName().toString();
            out.add(seen.get(n) > 1 ? (i + 1) + ":" + n : n);
        }
        return out;
    }

    /** The verdict view's columns compared, each under its own name. */
    private static final List<String> METRICS = List.of("status", "converged_at", "passes", "reason", "bandwidth",
            "downtime_limit_ms", "min_pending_bytes", "recent_dirty_rate_bytes_per_s", "min_device_stop_copy_bytes",
            "needed_bandwidth", "needed_downtime_limit_ms");

    /** metric | trace A | trace B ...: the first migrating host's verdict of each trace, and violation counts. */
    static Table comparison(List<Analysis> all, List<String> names) {
        Column[] cols = new Column[names.size() + 1];
        cols[0] = Column.left("metric");
        for (int i = 0; i < names.size(); i++) {
            cols[i + 1] = Column.right(names.get(i));
        }
        Table.Builder t = Table.builder(cols);
        for (String m : METRICS) {
            Object[] row = new Object[cols.length];
            row[0] = m;
            for (int i = 0; i < all.size(); i++) {
                QueryResult v = all.get(i).verdict();
                row[i + 1] = v.rows().isEmpty() ? null : v.get(0, m);
            }
            t.row(row);
        }
        if (all.stream().anyMatch(Analysis::hasReplay)) {
            Object[] row = new Object[cols.length];
            row[0] = "divergences";
            for (int i = 0; i < all.size(); i++) {
                row[i + 1] = all.get(i).hasReplay() ? all.get(i).divergences().rows().size() : null;
            }
            t.row(row);
        }
        for (String severity : List.of("error", "warning", "info")) {
            Object[] row = new Object[cols.length];
            row[0] = "violations_" + severity;
            for (int i = 0; i < all.size(); i++) {
                row[i + 1] = all.get(i).violations().values("severity").stream().filter(severity::equals).count();
            }
            t.row(row);
        }
        return t.build();
    }

    /** iteration | pending_mib and decision per trace. */
    static Table pendingPerIteration(List<Analysis> all, List<String> names) {
        List<Column> cols = new ArrayList<>();
        cols.add(Column.right("iteration"));
        for (String n : names) {
            cols.add(Column.right(n + " pending_mib"));
            cols.add(Column.left(n + " decision"));
        }
        TreeMap<Long, Object[]> rows = new TreeMap<>();
        for (int i = 0; i < all.size(); i++) {
            QueryResult it = all.get(i).iterations();
            for (int r = 0; r < it.rows().size(); r++) {
                long iteration = ((Number) it.get(r, "iteration")).longValue();
                Object[] row = rows.computeIfAbsent(iteration, k -> new Object[cols.size()]);
                row[0] = iteration;
                row[1 + 2 * i] = it.get(r, "pending_mib");
                row[2 + 2 * i] = it.get(r, "decision");
            }
        }
        Table.Builder t = Table.builder(cols.toArray(new Column[0]));
        rows.values().forEach(t::row);
        return t.build();
    }
}
