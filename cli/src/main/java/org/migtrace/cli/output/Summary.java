package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a command that does something (imports, records, verifies, writes a report) says about it
 * when asked for a format other than its text: named fields in a fixed order, and at most one list
 * of rows (the lines not understood, the problems found). JSON prints one object, the rows as an array
 * under their name; CSV and Markdown a {@code field,value} table, then a blank line and the rows'
 * table. Fields hold what a {@link Table} cell holds, or a list of strings (joined with {@code "; "}
 * in the text forms).
 */
public final class Summary {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private String rowsName;
    private Table rows;

    /** Adds field {@code name}; a second value for the same name is a programmer error. */
    public Summary put(String name, Object value) {
        Objects.requireNonNull(name, "name");
        if (fields.containsKey(name) || name.equals(rowsName)) {
            throw new IllegalArgumentException("field " + name + " given twice");
        }
        if (value instanceof List<?> list) {
            if (!list.stream().allMatch(String.class::isInstance)) {
                throw new IllegalArgumentException("field " + name + ": a list holds strings only");
            }
            value = List.copyOf(list);
        } else {
            Table.Builder.checkCell(value); // the cell types of a table
        }
        fields.put(name, value);
        return this;
    }

    /** The rows after the fields, under {@code name}. */
    public Summary rows(String name, Table table) {
        if (rows != null || fields.containsKey(name)) {
            throw new IllegalArgumentException("rows " + name + ": a summary has one list of rows, named once");
        }
        rowsName = Objects.requireNonNull(name, "name");
        rows = Objects.requireNonNull(table, "table");
        return this;
    }

    /** The JSON form: the fields, then the rows as an array of objects. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>(fields);
        if (rows != null) {
            doc.put(rowsName, rows.records());
        }
        return doc;
    }

    /** The fields as a two-column table, {@code field} and {@code value}. */
    @SuppressWarnings("unchecked") // lists were checked to hold strings when put
    public Table fieldTable() {
        Table.Builder t = Table.builder(Column.left("field"), Column.left("value"));
        fields.forEach((name, value) -> t.row(name, value instanceof List<?> list ? String.join("; ", (List<String>) list) : value));
        return t.build();
    }

    /** Prints this summary in {@code format} ({@code table} as CSV and Markdown do, in aligned columns). */
    public void write(OutputFormat format, PrintWriter out) {
        if (format == OutputFormat.JSON) {
            OutputFormat.writeJson(document(), out);
            return;
        }
        format.write(fieldTable(), out);
        if (rows != null) {
            out.println();
            format.write(rows, out);
        }
        out.flush();
    }
}
