package org.migtrace.trace;

import java.util.Locale;

/**
 * One column of a trace table: its name in the Arrow schema (also the key in the JSON-lines form),
 * type, whether it may be null, unit and meaning. The tables' column enums implement it, and
 * docs/trace-format.md documents every column (a test checks it does).
 */
public interface Column {

    /** A column's type, nullability, unit ({@code ns}, {@code bytes}, {@code pages}, or "") and meaning. */
    record Spec(ColumnType type, boolean nullable, String unit, String doc) {
    }

    /** The column's definition. */
    Spec spec();

    /** The column name: the constant's name in lower case ({@code ts_ns}, {@code page_size}). */
    default String column() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    default ColumnType type() {
        return spec().type();
    }

    /** Whether the column may be null. */
    default boolean nullable() {
        return spec().nullable();
    }

    default String unit() {
        return spec().unit();
    }

    /** One line of meaning, including when it is null. */
    default String doc() {
        return spec().doc();
    }

    static Spec notNull(ColumnType type, String unit, String doc) {
        return new Spec(type, false, unit, doc);
    }

    static Spec nullable(ColumnType type, String unit, String doc) {
        return new Spec(type, true, unit, doc);
    }
}
