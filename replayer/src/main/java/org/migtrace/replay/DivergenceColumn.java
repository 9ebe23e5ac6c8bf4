package org.migtrace.replay;

/** The columns of the divergence table ({@code divergences.arrow}), in schema order. */
public enum DivergenceColumn {
    SEQ("int64", "seq of the stimulus in the trace"),
    TS_NS("int64", "its recorded time (ns)"),
    HOST("utf8", "its host"),
    OP("utf8", "its op: ioctl name, syscall, DMA_WRITE"),
    OBJECT("utf8", "the object or device it concerns"),
    DETAIL("utf8", "the request in short: feature and ops, requested state, range"),
    FIELD("utf8", "what differs: ret, states, bitmap, to_state, data_fd, initial_bytes, dirty_bytes, stop_copy_length, register.NAME"),
    EXPECTED("utf8", "the recorded value (with --against: the first target's)"),
    ACTUAL("utf8", "the target's value (with --against: the second target's)"),
    NOTE("utf8", "what the difference is made of: for a bitmap the missing and extra pages as runs");

    private final String type;
    private final String meaning;

    DivergenceColumn(String type, String meaning) {
        this.type = type;
        this.meaning = meaning;
    }

    /** The column name: lower case, as SQL queries use it. */
    public String columnName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** {@code int64} or {@code utf8}. */
    public String type() {
        return type;
    }

    public String meaning() {
        return meaning;
    }
}
