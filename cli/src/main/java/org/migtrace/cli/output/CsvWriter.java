package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.List;

/**
 * CSV with RFC 4180 quoting: a header line, one record per row; a field containing a comma, a
 * double quote, CR or LF is enclosed in double quotes with inner quotes doubled. Records end in LF,
 * not the RFC's CRLF, as Unix tools ({@code cut}, {@code awk}, {@code diff}) and DuckDB's
 * {@code read_csv} expect; every RFC 4180 reader accepts it.
 */
final class CsvWriter {

    private CsvWriter() {
    }

    static void write(Table table, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        List<Column> columns = table.columns();
        for (int c = 0; c < columns.size(); c++) {
            field(sb, c, columns.get(c).name());
        }
        out.print(sb.append('\n'));
        for (List<Object> row : table.rows()) {
            sb.setLength(0);
            for (int c = 0; c < row.size(); c++) {
                field(sb, c, Table.text(row.get(c)));
            }
            out.print(sb.append('\n'));
        }
        out.flush();
    }

    private static void field(StringBuilder sb, int index, String value) {
        if (index > 0) {
            sb.append(',');
        }
        sb.append(quote(value));
    }

    /** The field as RFC 4180 writes it. */
    static String quote(String value) {
        boolean needs = value.indexOf(',') >= 0 || value.indexOf('"') >= 0
                || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0;
        return needs ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
