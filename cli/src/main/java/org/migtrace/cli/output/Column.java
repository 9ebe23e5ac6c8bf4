package org.migtrace.cli.output;

import java.util.Objects;

/**
 * One column of a {@link Table}: its name (the CSV header and the JSON key) and how a terminal
 * table aligns it.
 */
public record Column(String name, Align align) {

    /** Terminal alignment; CSV and JSON ignore it. */
    public enum Align {
        LEFT,
        RIGHT
    }

    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(align, "align");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("column name must not be empty");
        }
    }

    /** A left-aligned column (text). */
    public static Column left(String name) {
        return new Column(name, Align.LEFT);
    }

    /** A right-aligned column (numbers). */
    public static Column right(String name) {
        return new Column(name, Align.RIGHT);
    }
}
