package org.migtrace.replay.variant;

import java.util.List;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.trace.RecordedEvent;

/**
 * An FSM that accepts STOP_COPY → PRE_COPY (and → PRE_COPY_P2P): the device goes back to
 * pre-copy after its final state was taken, so the stop-copy data QEMU read is stale. The kernel's
 * table ({@code vfio_main.c: vfio_from_fsm_table}) marks the pair ERROR and
 * {@code vfio_mig_get_next_state()} refuses it with EINVAL; this variant is a driver whose own
 * table allows it (the arc a careless vendor state machine takes).
 */
public final class FsmStopCopyToPreCopy extends Variant {
    @Override
    public String name() {
        return "fsm-stop-copy-to-pre-copy";
    }

    @Override
    public String description() {
        return "MIG_DEVICE_STATE accepts STOP_COPY -> PRE_COPY, an arc vfio_from_fsm_table forbids (EINVAL upstream)";
    }

    @Override
    public String bug() {
        return "vfio_main.c vfio_from_fsm_table: STOP_COPY -> PRE_COPY is ERROR";
    }

    @Override
    protected Behaviour behaviour() {
        DeviceStates states = new DeviceStates();
        return (s, ref) -> {
            if (states.stopCopyToPreCopy(s)) {
                RecordedEvent e = s.event();
                Outcome o = new Outcome(0L, List.of("STOP_COPY>" + e.requestedState()), null,
                        new java.util.TreeMap<>(java.util.Map.of("to_state", e.requestedState(), "data_fd", "-1")));
                states.set(e, e.requestedState());
                return o;
            }
            Outcome o = ref.apply(s);
            states.follow(s, o);
            return o;
        };
    }
}
