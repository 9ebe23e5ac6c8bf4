package org.migtrace.sim.scenario;

/** A closed vocabulary whose constants are written in scenario files by a label ({@code mlx5-vf}, {@code hot-set}). */
public interface Labeled {
    /** How the constant is spelled in a scenario file: its name in lower case, {@code _} as {@code -}. */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} spelled {@code label} (case-insensitive; {@code _} and {@code -}
     * are the same).
     *
     * @throws IllegalArgumentException listing the labels it knows
     */
    static <E extends Enum<E> & Labeled> E parse(Class<E> type, String label) {
        String want = label.trim().replace('_', '-');
        for (E e : type.getEnumConstants()) {
            if (e.label().equalsIgnoreCase(want)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown value '" + label + "' (expected one of " + labels(type) + ")");
    }

    /** The labels of {@code type}, comma-separated, in declaration order. */
    static <E extends Enum<E> & Labeled> String labels(Class<E> type) {
        StringBuilder b = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(e.label());
        }
        return b.toString();
    }
}
