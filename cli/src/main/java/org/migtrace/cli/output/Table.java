package org.migtrace.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rows of typed cells under named columns: what a command hands to an {@link OutputFormat}.
 *
 * <p>Cells are {@link String}, {@link Boolean}, a {@link Number} of an integral type, a
 * {@link Double} (measurements: rates, milliseconds), or {@code null}; JSON keeps those types, the text forms print them with {@link #text(Object)}.
 * Anything else is a programmer error, caught when the row is added rather than when it is printed.
 */
public final class Table {

    private final List<Column> columns;
    private final List<List<Object>> rows;

    private Table(List<Column> columns, List<List<Object>> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    public static Builder builder(Column... columns) {
        return new Builder(Arrays.asList(columns));
    }

    public List<Column> columns() {
        return columns;
    }

    /** The rows, each with one cell per column, in insertion order. */
    public List<List<Object>> rows() {
        return rows;
    }

    /** The rows as objects keyed by column name, in column order (what the JSON form prints). */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>(rows.size());
        for (List<Object> row : rows) {
            Map<String, Object> obj = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                obj.put(columns.get(c).name(), row.get(c));
            }
            out.add(obj);
        }
        return out;
    }

    /** How the text formats show a cell: {@code true}/{@code false}, decimal numbers, "" for null. */
    static String text(Object cell) {
        if (cell instanceof Double d) {
            return decimal(d);
        }
        return cell == null ? "" : cell.toString();
    }

    /** A measurement as text: at most 3 decimals, no exponent, no trailing zeros. */
    static String decimal(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Double.toString(d);
        }
        String s = new java.math.BigDecimal(d).setScale(3, java.math.RoundingMode.HALF_EVEN)
                .stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** Collects rows; {@link #build()} freezes them. */
    public static final class Builder {
        private final List<Column> columns;
        private final List<List<Object>> rows = new ArrayList<>();

        private Builder(List<Column> columns) {
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a table needs at least one column");
            }
            Set<String> names = new HashSet<>();
            for (Column c : columns) {
                if (!names.add(c.name())) {
                    throw new IllegalArgumentException("duplicate column " + c.name());
                }
            }
            this.columns = List.copyOf(columns);
        }

        /** Adds one row; {@code cells} in column order. */
        public Builder row(Object... cells) {
            if (cells.length != columns.size()) {
                throw new IllegalArgumentException(
                        "row has " + cells.length + " cells for " + columns.size() + " columns");
            }
            for (Object cell : cells) {
                checkCell(cell);
            }
            rows.add(Collections.unmodifiableList(new ArrayList<>(Arrays.asList(cells))));
            return this;
        }

        public Table build() {
            return new Table(columns, List.copyOf(rows));
        }

        /** Refuses a cell of a type a table cannot hold (what {@link Summary} fields are held to as well). */
        static void checkCell(Object cell) {
            boolean ok = cell == null || cell instanceof String || cell instanceof Boolean
                    || cell instanceof Long || cell instanceof Integer || cell instanceof Short
                    || cell instanceof Byte || cell instanceof Double;
            if (!ok) {
                throw new IllegalArgumentException("unsupported cell type " + cell.getClass().getName());
            }
        }
    }
}
