package org.migtrace.sim.scenario;

/**
 * A scenario file is bad: unreadable, malformed, an unknown or missing field, a bad unit, or values
 * that contradict each other. The message reads {@code file:line:column: field: problem}.
 */
public final class ScenarioException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;

    /**
     * @param source   the file (or resource) name
     * @param line     1-based line, or 0 when unknown
     * @param column   1-based column, or 0 when unknown
     * @param field    the field's path ({@code devices[0].features}), or "" for the whole file
     * @param problem  what is wrong
     */
    public ScenarioException(String source, int line, int column, String field, String problem, Throwable cause) {
        super(format(source, line, column, field, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.field = field;
        this.problem = problem;
    }

    private static String format(String source, int line, int column, String field, String problem) {
        StringBuilder b = new StringBuilder(source);
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (!field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(problem).toString();
    }

    public String source() {
        return source;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 when unknown. */
    public int column() {
        return column;
    }

    /** The field's path, or "" for the whole file. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
