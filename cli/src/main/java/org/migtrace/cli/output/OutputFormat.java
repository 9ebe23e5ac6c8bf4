package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** The {@code --format} choices every command that prints a result offers. */
public enum OutputFormat {
    /** Aligned columns for a terminal. */
    TABLE {
        @Override
        public void write(Table table, PrintWriter out) {
            TextTableWriter.write(table, out);
        }
    },
    /** RFC 4180 quoting, header line first. */
    CSV {
        @Override
        public void write(Table table, PrintWriter out) {
            CsvWriter.write(table, out);
        }
    },
    /** An array of objects keyed by column name. */
    JSON {
        @Override
        public void write(Table table, PrintWriter out) {
            JsonWriter.write(table, out);
        }
    },
    /** A pipe table, numbers right-aligned, for pasting into a review or an issue. */
    MARKDOWN {
        @Override
        public void write(Table table, PrintWriter out) {
            MarkdownWriter.write(table, out);
        }
    };

    /**
     * Prints a JSON document (an object of strings, numbers, booleans, lists and nested maps, keys
     * in the maps' order), indented, for commands whose JSON form is more than one table.
     */
    public static void writeJson(Map<String, Object> document, PrintWriter out) {
        JsonWriter.writeDocument(document, out);
    }

    /** Prints {@code table} in this format and flushes. */
    public abstract void write(Table table, PrintWriter out);

    /** The name as typed on the command line ({@code csv}); picocli shows it in help. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
