package org.migtrace.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
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
        List<Map<String, Object>> rows = table.records();
        out.print(rows.isEmpty() ? "[" : "[\n");
        for (int r = 0; r < rows.size(); r++) {
            out.print("  " + compact(rows.get(r)) + (r + 1 < rows.size() ? ",\n" : "\n"));
        }
        out.print("]\n");
        out.flush();
    }

    /** One JSON document, indented, keys in the maps' order, then a newline. */
    static void writeDocument(Map<String, Object> document, PrintWriter out) {
        try {
            out.print(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serializable: " + e.getOriginalMessage(), e);
        }
        out.print("\n");
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
