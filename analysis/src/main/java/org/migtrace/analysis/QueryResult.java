package org.migtrace.analysis;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The rows of a query, in memory: column names and cells as {@link String}, {@link Long},
 * {@link Double}, {@link Boolean} or null. Wider integers (DuckDB's HUGEINT, UBIGINT) come as
 * {@link Long} when they fit and as their decimal text otherwise; decimals as {@link Double}.
 */
public record QueryResult(List<String> columns, List<List<Object>> rows) {

    public QueryResult {
        columns = List.copyOf(columns);
        rows = Collections.unmodifiableList(rows);
    }

    static QueryResult of(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> names = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            names.add(md.getColumnLabel(i));
        }
        List<List<Object>> rows = new ArrayList<>();
        while (rs.next()) {
            List<Object> row = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                row.add(cell(rs.getObject(i)));
            }
            rows.add(Collections.unmodifiableList(row));
        }
        return new QueryResult(names, rows);
    }

    private static Object cell(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        }
        if (v instanceof BigDecimal d) {
            return d.scale() <= 0 && d.toBigInteger().bitLength() < 64 ? (Object) d.longValueExact()
                    : (Object) d.doubleValue();
        }
        return v.toString();
    }

    /** The index of column {@code name}; a programmer error when there is none. */
    public int column(String name) {
        int i = columns.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + columns);
        }
        return i;
    }

    /** The cell of {@code row} in column {@code name}. */
    public Object get(int row, String name) {
        return rows.get(row).get(column(name));
    }

    /** Every cell of column {@code name}, in row order. */
    public List<Object> values(String name) {
        int c = column(name);
        List<Object> out = new ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            out.add(r.get(c));
        }
        return out;
    }
}
