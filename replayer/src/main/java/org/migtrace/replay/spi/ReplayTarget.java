package org.migtrace.replay.spi;

/**
 * One implementation replayed against: it receives the trace's stimuli in {@code seq} order and
 * answers each with what it did. Deterministic: the same stimuli give the same outcomes (no wall
 * clock, no unseeded randomness, ordered iteration wherever order reaches an outcome). Errors are
 * outcomes ({@code ret = -errno}), never exceptions.
 */
public interface ReplayTarget extends AutoCloseable {
    /**
     * Applies one stimulus: a syscall the VMM made, or memory the guest or a device wrote. Returns
     * what the target did ({@link Outcome#NONE} for a stimulus that has no outcome to compare,
     * such as a memory write).
     */
    Outcome apply(Stimulus stimulus);

    /** Releases what the target holds; nothing by default. */
    @Override
    default void close() {
    }
}
