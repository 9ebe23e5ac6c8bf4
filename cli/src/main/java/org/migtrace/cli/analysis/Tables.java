package org.migtrace.cli.analysis;

import java.util.List;
import org.migtrace.analysis.QueryResult;
import org.migtrace.cli.output.Column;
import org.migtrace.cli.output.Table;

/** Query rows as the CLI's {@link Table}. */
final class Tables {

    private Tables() {
    }

    /** Numbers right-aligned (decided by the first non-null cell of each column), text left. */
    static Table of(QueryResult r) {
        if (r.columns().isEmpty()) {
            return Table.builder(Column.left("result")).build();
        }
        Column[] columns = new Column[r.columns().size()];
        for (int c = 0; c < columns.length; c++) {
            boolean numeric = false;
            for (List<Object> row : r.rows()) {
                if (row.get(c) != null) {
                    numeric = row.get(c) instanceof Number;
                    break;
                }
            }
            columns[c] = numeric ? Column.right(r.columns().get(c)) : Column.left(r.columns().get(c));
        }
        Table.Builder b = Table.builder(columns);
        for (List<Object> row : r.rows()) {
            b.row(row.toArray());
        }
        return b.build();
    }
}
