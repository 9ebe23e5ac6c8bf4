package org.migtrace.replay.spi;

/**
 * Makes replay targets of one kind. Found with {@link java.util.ServiceLoader} (a line naming the
 * class in {@code META-INF/services/org.migtrace.replay.spi.ReplayTargetFactory}) and chosen by
 * {@link #name()}; a user's own factory comes in a jar given with {@code --plugin}.
 *
 * <p>New methods are added as default methods, so a factory written against this version keeps
 * working.
 */
public interface ReplayTargetFactory {
    /** The name {@code --target} selects it by: lower case, digits and {@code -}. */
    String name();

    /** One line for {@code --list-targets}: what it models (a variant: the bug and where it was fixed). */
    String description();

    /**
     * A fresh target for one replay of the trace {@code context} describes. Each replay gets its
     * own; a target is never shared between threads or replays.
     */
    ReplayTarget create(TargetContext context);
}
