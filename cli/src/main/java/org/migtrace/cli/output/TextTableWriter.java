package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.List;

/**
 * An aligned table for a terminal: a header, a rule of dashes, then the rows; columns separated
 * by two spaces, no trailing blanks, so that the output also diffs and greps well.
 */
final class TextTableWriter {

    private static final String GAP = "  ";

    private TextTableWriter() {
    }

    static void write(Table table, PrintWriter out) {
        List<Column> columns = table.columns();
        int[] width = new int[columns.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = columns.get(c).name().length();
            for (List<Object> row : table.rows()) {
                width[c] = Math.max(width[c], Table.text(row.get(c)).length());
            }
        }
        String[] header = new String[width.length];
        String[] rule = new String[width.length];
        for (int c = 0; c < width.length; c++) {
            header[c] = columns.get(c).name();
            rule[c] = "-".repeat(width[c]);
        }
        line(out, columns, width, header);
        line(out, columns, width, rule);
        for (List<Object> row : table.rows()) {
            String[] cells = new String[width.length];
            for (int c = 0; c < width.length; c++) {
                cells[c] = Table.text(row.get(c));
            }
            line(out, columns, width, cells);
        }
        out.flush();
    }

    private static void line(PrintWriter out, List<Column> columns, int[] width, String[] cells) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String pad = " ".repeat(width[c] - cells[c].length());
            boolean last = c == cells.length - 1;
            sb.append(c == 0 ? "" : GAP);
            if (columns.get(c).align() == Column.Align.RIGHT) {
                sb.append(pad).append(cells[c]);
            } else {
                sb.append(cells[c]).append(last ? "" : pad);
            }
        }
        out.println(sb);
    }
}
