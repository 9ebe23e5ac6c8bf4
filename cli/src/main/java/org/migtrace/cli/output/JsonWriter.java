package org.migtrace.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON through Jackson: a table is an array of objects keyed by column name, in column order, with
 * cells keeping their types (numbers, booleans, strings, null). One object per line, so that a
 * person can read it and {@code jq} / {@code grep} both work.
 */
final class JsonWriter {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonWriter() {
    }

    static void write(Table table, PrintWriter out) {
        List<Column> columns = table.columns();
        List<List<Object>> rows = table.rows();
        out.print(rows.isEmpty() ? "[" : "[\n");
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Object> obj = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                obj.put(columns.get(c).name(), rows.get(r).get(c));
            }
            out.print("  " + compact(obj) + (r + 1 < rows.size() ? ",\n" : "\n"));
        }
        out.print("]\n");
        out.flush();
    }

    private static String compact(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Cells are strings, booleans, integers or null (Table checks): this cannot fail.
            throw new IllegalStateException(e);
        }
    }
}
