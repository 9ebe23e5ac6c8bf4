package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.List;

/** A Markdown table: header, alignment row (numbers right-aligned), rows; pipes in cells escaped. */
final class MarkdownWriter {

    private MarkdownWriter() {
    }

    static void write(Table table, PrintWriter out) {
        List<Column> columns = table.columns();
        StringBuilder b = new StringBuilder("|");
        StringBuilder rule = new StringBuilder("|");
        for (Column c : columns) {
            b.append(' ').append(escape(c.name())).append(" |");
            rule.append(c.align() == Column.Align.RIGHT ? "---:|" : "---|");
        }
        out.println(b);
        out.println(rule);
        for (List<Object> row : table.rows()) {
            StringBuilder line = new StringBuilder("|");
            for (Object cell : row) {
                line.append(' ').append(escape(Table.text(cell))).append(" |");
            }
            out.println(line);
        }
        out.flush();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
