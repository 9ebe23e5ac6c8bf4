package org.migtrace.sim.scenario;

/**
 * A scenario record was given a value it cannot take: missing, out of range, or inconsistent with
 * another field. Thrown by the records' constructors (a programmer error when a record is built in
 * code); the loader turns it into a {@link ScenarioException} naming the file, line and column.
 */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String problem;

    /**
     * @param field   the field's path relative to the record being built: {@code memory},
     *                {@code burst.on}, {@code devices[1].group}
     * @param problem what is wrong, in a user's words
     */
    public InvalidFieldException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
        this.problem = problem;
    }

    /** The field's path relative to the record that rejected it. */
    public String field() {
        return field;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }

    /** The same problem with the field's path under {@code parent} ({@code devices[0]} + {@code dma.rate}). */
    public InvalidFieldException under(String parent) {
        String joined = parent.isEmpty() ? field : field.startsWith("[") ? parent + field : parent + "." + field;
        return new InvalidFieldException(joined, problem);
    }

    static InvalidFieldException missing(String field) {
        return new InvalidFieldException(field, "missing required value");
    }

    /** Throws an {@code InvalidFieldException} for {@code field} unless {@code ok}. */
    static void require(boolean ok, String field, String problem) {
        if (!ok) {
            throw new InvalidFieldException(field, problem);
        }
    }
}
