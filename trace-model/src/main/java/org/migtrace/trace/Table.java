package org.migtrace.trace;

import java.util.List;

/** The tables of a trace, each one Arrow IPC file in the trace directory. */
public enum Table {
    EVENTS("events.arrow", List.of(EventColumn.values())),
    DIRTY_RUNS("dirty_runs.arrow", List.of(DirtyRunColumn.values())),
    ITERATIONS("iterations.arrow", List.of(IterationColumn.values()));

    private final String file;
    private final List<Column> columns;

    Table(String file, List<? extends Column> columns) {
        this.file = file;
        this.columns = List.copyOf(columns);
    }

    /** The table name used in the manifest, in SQL and in the JSON-lines form: {@code events}. */
    public String tableName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The file name inside the trace directory. */
    public String file() {
        return file;
    }

    /** The columns in schema order. */
    public List<Column> columns() {
        return columns;
    }
}
