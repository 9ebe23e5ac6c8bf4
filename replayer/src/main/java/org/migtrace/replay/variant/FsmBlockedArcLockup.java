package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;

/**
 * Kernels 6.2 to 7.1 spin forever in {@code vfio_mig_get_next_state()} on a blocked arc (STOP_COPY
 * → PRE_COPY on a device that supports PRE_COPY): the table maps the pair to ERROR, ERROR "needs"
 * every flag, and the skip loop never leaves it — a soft lockup of the VMM's thread. Fixed in 7.2
 * by "vfio: prevent infinite loop in vfio_mig_get_next_state() on blocked arc", which returns EINVAL
 * ({@code uapi.V2Fsm.Kernel.V6_2_TO_7_1} models the same table).
 */
public final class FsmBlockedArcLockup extends Variant {
    @Override
    public String name() {
        return "fsm-blocked-arc-lockup";
    }

    @Override
    public String description() {
        return "STOP_COPY -> PRE_COPY never returns: the 6.2-7.1 infinite loop in vfio_mig_get_next_state()";
    }

    @Override
    public String bug() {
        return "Linux 6.2-7.1 vfio_mig_get_next_state() blocked-arc loop (fixed in 7.2)";
    }

    @Override
    protected Behaviour behaviour() {
        DeviceStates states = new DeviceStates();
        return (s, ref) -> {
            if (states.stopCopyToPreCopy(s)) {
                return new Outcome(Outcome.NO_RETURN, java.util.List.of(), null, java.util.Map.of());
            }
            Outcome o = ref.apply(s);
            states.follow(s, o);
            return o;
        };
    }
}
