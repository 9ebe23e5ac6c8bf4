package org.migtrace.replay.variant;

import org.migtrace.replay.spi.Outcome;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Errno;

/**
 * The v1 transition check rejects a write of the state the device is already in (SAVING → SAVING,
 * which QEMU's v1 code writes when it clears RUNNING twice): libvfio-user's
 * {@code vfio_migr_state_transition_is_valid()} tested the transition bit without the parentheses
 * the shift needed, so the self-transition's bit was never set and the write failed with EINVAL.
 * The v1 uAPI ({@code vfio.h}, "device_state" of {@code vfio_device_migration_info}) allows any
 * write of a valid state; the fix added the parentheses.
 */
public final class V1SelfTransition extends Variant {
    @Override
    public String name() {
        return "v1-self-transition";
    }

    @Override
    public String description() {
        return "v1 device_state write of the current state fails with EINVAL (libvfio-user missing parentheses)";
    }

    @Override
    public String bug() {
        return "libvfio-user vfio_migr_state_transition_is_valid() missing parentheses";
    }

    @Override
    protected Behaviour behaviour() {
        DeviceStates states = new DeviceStates();
        return (s, ref) -> {
            RecordedEvent e = s.event();
            if (s.isSyscall() && DeviceStates.isV1Write(e) && e.requestedState().equals(states.of(e))) {
                return new Outcome(Errno.EINVAL.ret(), java.util.List.of(), null, java.util.Map.of());
            }
            Outcome o = ref.apply(s);
            states.follow(s, o);
            if (s.isSyscall() && DeviceStates.isV1Write(e) && o.ret() != null && o.ret() >= 0) {
                states.set(e, e.requestedState());
            }
            return o;
        };
    }
}
