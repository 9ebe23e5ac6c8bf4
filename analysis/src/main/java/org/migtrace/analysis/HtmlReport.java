package org.migtrace.analysis;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.migtrace.trace.WorkProgress;
import org.migtrace.uapi.MigtraceException;

/**
 * One self-contained HTML page about a trace: the verdict, the charts (SVG embedded as data URIs,
 * so the page needs no other file and no network), the iteration table, the violations with the
 * catalog's meaning of each rule, and the working-set estimate.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    public static String of(TraceDatabase db) throws MigtraceException {
        return of(db, WorkProgress.NONE);
    }

    /**
     * As {@link #of(TraceDatabase)}, telling {@code progress} how far it got: the analysis's steps (the
     * first half), then each chart and the working set.
     */
    public static String of(TraceDatabase db, WorkProgress progress) throws MigtraceException {
        Analysis a = Analysis.of(db, progress.part(0, 0.5));
        WorkProgress rest = progress.part(0.5, 1);
        int steps = Chart.values().length + 1;
        int step = 0;
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>migtrace report: ")
                .append(esc(db.trace().getFileName().toString())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:1200px}")
                .append("div.table{overflow-x:auto}table{border-collapse:collapse;font-size:13px;margin:1em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 6px}td.n{text-align:right}")
                .append("th{background:#eee}.error{color:#b00}.warning{color:#a60}.info{color:#06a}")
                .append("</style></head><body>\n");
        b.append("<h1>migtrace report</h1>\n<p>trace <code>").append(esc(db.trace().toString())).append("</code></p>\n");
        b.append("<h2>Verdict</h2>\n<ul>");
        for (String line : a.verdictLines()) {
            b.append("<li>").append(esc(line.strip())).append("</li>");
        }
        b.append("</ul>\n");
        for (Chart c : Chart.values()) {
            b.append("<h2>").append(esc(c.chartName())).append("</h2>\n<img alt=\"").append(esc(c.chartName()))
                    .append("\" src=\"data:image/svg+xml;base64,")
                    .append(Base64.getEncoder().encodeToString(c.render(db, Chart.Format.SVG))).append("\">\n");
            rest.done(++step, steps);
        }
        b.append("<h2>Iterations</h2>\n");
        table(b, a.iterations());
        b.append("<h2>Protocol violations</h2>\n");
        if (a.violations().rows().isEmpty()) {
            b.append("<p>none (").append(Rule.catalog().size()).append(" rules checked)</p>\n");
        } else {
            table(b, a.violations());
            b.append("<h3>Rules that fired</h3>\n<dl>");
            List<Object> fired = a.violations().values("rule_id");
            for (Rule r : Rule.catalog()) {
                if (fired.contains(r.id())) {
                    b.append("<dt class=\"").append(esc(r.severity())).append("\">").append(esc(r.id())).append(" (")
                            .append(esc(r.severity())).append(")</dt><dd>").append(esc(r.meaning()))
                            .append("<br><small>").append(esc(r.source())).append("</small></dd>");
                }
            }
            b.append("</dl>\n");
        }
        if (a.hasReplay()) {
            b.append("<h2>Replay divergences</h2>\n<p>");
            for (String line : a.replayLines()) {
                b.append(esc(line.strip())).append("<br>");
            }
            b.append("</p>\n");
            if (!a.divergences().rows().isEmpty()) {
                table(b, a.divergences());
            }
        }
        b.append("<h2>Working set</h2>\n");
        table(b, db.query("SELECT * FROM working_set"));
        rest.done(steps, steps);
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void table(StringBuilder b, QueryResult r) {
        b.append("<div class=\"table\"><table><tr>"); // a wide table scrolls, the page does not
        for (String c : r.columns()) {
            b.append("<th>").append(esc(c)).append("</th>");
        }
        b.append("</tr>\n");
        for (List<Object> row : r.rows()) {
            b.append("<tr>");
            for (Object cell : row) {
                b.append(cell instanceof Number ? "<td class=\"n\">" : "<td>").append(esc(text(cell))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table></div>\n");
    }

    private static String text(Object cell) {
        if (cell instanceof Double d) {
            return new java.math.BigDecimal(d).setScale(3, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros()
                    .toPlainString();
        }
        return cell == null ? "" : cell.toString();
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** The page as bytes, for writing. */
    public static byte[] bytes(TraceDatabase db) throws MigtraceException {
        return of(db).getBytes(StandardCharsets.UTF_8);
    }

    /** The page as bytes, telling {@code progress} how far it got ({@link #of(TraceDatabase, WorkProgress)}). */
    public static byte[] bytes(TraceDatabase db, WorkProgress progress) throws MigtraceException {
        return of(db, progress).getBytes(StandardCharsets.UTF_8);
    }
}
