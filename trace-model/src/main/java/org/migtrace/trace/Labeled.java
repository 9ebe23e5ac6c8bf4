package org.migtrace.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A closed vocabulary stored as text in a trace column: the label is the constant's name in lower
 * case ({@code guest_cpu}, {@code dma_write}).
 */
public interface Labeled {

    /** The text stored in the trace. */
    default String label() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose label is {@code label}, if any. */
    static <E extends Enum<E> & Labeled> Optional<E> byLabel(Class<E> type, String label) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equals(label)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Every label of the vocabulary, in declaration order. */
    static <E extends Enum<E> & Labeled> List<String> labels(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(e.label());
        }
        return out;
    }
}
