package org.migtrace.replay.spi;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a target did with one stimulus, in the terms a recording has: the syscall's return value
 * ({@code -errno} on failure), the device states the call walked ({@code FROM>TO}, one per arc, in
 * order), the dirty bitmap it returned (absolute page numbers: IOVA / page size), and the other
 * values the recording keeps (by column name: {@code to_state}, {@code data_fd},
 * {@code initial_bytes}, {@code dirty_bytes}, {@code stop_copy_length}; a v1 register read as
 * {@code register.NAME}). A value a target does not model is left out and not compared.
 *
 * @param ret    the return value, null when the stimulus is no syscall, {@link #NO_RETURN} for a hang
 * @param states the arcs walked inside the call
 * @param bitmap the returned dirty bitmap, null when the call returns none
 * @param values other outcome values by name (kept sorted by name)
 */
public record Outcome(Long ret, List<String> states, PageRuns bitmap, Map<String, String> values) {
    /** {@link #ret()} of a call that never returns (a kernel that spins forever on it). */
    public static final long NO_RETURN = Long.MIN_VALUE;

    /** The outcome of a stimulus with nothing to compare (a memory write). */
    public static final Outcome NONE = new Outcome(null, List.of(), null, Map.of());

    public Outcome {
        states = List.copyOf(states);
        values = values.isEmpty() ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    /** The same outcome with {@code bitmap} in place of this one's. */
    public Outcome withBitmap(PageRuns newBitmap) {
        return new Outcome(ret, states, newBitmap, values);
    }

    /** The same outcome with {@code newRet} in place of this one's return value. */
    public Outcome withRet(long newRet) {
        return new Outcome(newRet, states, bitmap, values);
    }

    /** The same outcome with {@code name} set to {@code value}. */
    public Outcome withValue(String name, String value) {
        TreeMap<String, String> v = new TreeMap<>(values);
        v.put(name, value);
        return new Outcome(ret, states, bitmap, v);
    }
}
