package org.migtrace.trace;

/** The Arrow type of a trace column. */
public enum ColumnType {
    /** Arrow {@code Int(64, signed)}. Unsigned u64 values (IOVAs, flags) are stored as their bit pattern. */
    INT64,
    /** Arrow {@code Int(32, signed)}. */
    INT32,
    /** Arrow {@code Utf8} (dictionary-friendly: low-cardinality names). */
    UTF8
}
