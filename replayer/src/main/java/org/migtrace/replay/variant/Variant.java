package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.ReplayTargetFactory;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.replay.spi.TargetContext;

/**
 * A built-in variant: the reference model with one real bug put back. Each variant names the bug
 * (where it was reported or which commit fixed it), and says what the fix does; a variant keeps
 * whatever state its bug needs in its {@link Behaviour}, one per replay.
 */
public abstract class Variant implements ReplayTargetFactory {
    /** What the reference answered, changed the way the bug changes it. */
    protected interface Behaviour {
        Outcome apply(Stimulus stimulus, ReplayTarget reference);
    }

    /** Where the bug was reported or fixed, e.g. {@code libvfio-user #526}, {@code Linux ce06a7000f0e}. */
    public abstract String bug();

    /** A fresh behaviour for one replay. */
    protected abstract Behaviour behaviour();

    @Override
    public final ReplayTarget create(TargetContext context) {
        ReplayTarget reference = context.reference();
        Behaviour b = behaviour();
        return new ReplayTarget() {
            @Override
            public Outcome apply(Stimulus stimulus) {
                return b.apply(stimulus, reference);
            }

            @Override
            public void close() {
                reference.close();
            }
        };
    }
}
