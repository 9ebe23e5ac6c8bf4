package org.migtrace.trace;

/**
 * A row of the events table being filled, column by column, then appended with {@link #commit()}.
 * The builder is reused: after a commit every column is null again. Columns not set are null;
 * {@code seq} not set is the previous row's plus one.
 */
public interface EventRow {
    /** Sets an INT64 or INT32 column. */
    EventRow set(EventColumn column, long value);

    /** Sets a UTF8 column; {@code null} leaves it null. */
    EventRow set(EventColumn column, String value);

    /**
     * Appends the row and returns its {@code seq}.
     *
     * @throws IllegalStateException if a non-null column is missing or {@code seq} does not increase
     */
    long commit();
}
