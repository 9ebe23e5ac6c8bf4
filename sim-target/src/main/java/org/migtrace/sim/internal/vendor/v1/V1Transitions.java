package org.migtrace.sim.internal.vendor.v1;

import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.V1State;

/**
 * Which device_state writes a v1 driver accepts, checked in this order (each failure is
 * {@code EINVAL} and leaves the state untouched):
 * <ol>
 *   <li>the device is in the error state: nothing but VFIO_DEVICE_RESET leaves it (uAPI; in
 *       libvfio-user the error row of {@code migr_states[]} allows no target);</li>
 *   <li>bits the driver does not implement (bit 3 without the NDMA option, bits 4–31 always): a
 *       driver cannot perform a transition it does not know, so it refuses the write; libvfio-user
 *       2020 did exactly this ({@code handle_device_state}: "bad device state"). Users preserve the
 *       reserved bits by read-modify-write, and they read back as 0, so a well-behaved user never
 *       sends them;</li>
 *   <li>the error encoding ({@code IS_ERROR}): only the driver may report it;</li>
 *   <li>an invalid encoding ({@code !VALID}): merged macros (RESUMING only alone) or the RFC's rules
 *       (no SAVING|RESUMING, no RESUMING|RUNNING; NDMA combines with anything else);</li>
 *   <li>with {@link V1DeviceConfig.Transitions#LIBVFIO_USER}, a transition missing from
 *       libvfio-user's table.</li>
 * </ol>
 */
final class V1Transitions {
    /**
     * libvfio-user's {@code migr_states[].state} (lib/migration_priv.h, 2021–2022), indexed by the
     * current low three bits, as a bitmask of allowed targets. The pre-copy row was written
     * {@code (1 << RUNNING | SAVING)}, which C parses as {@code (1 << 1) | 2}: it allows RUNNING
     * (bit 1) and not pre-copy (bit 3). Kept as compiled.
     */
    private static final int[] LIBVFIO_USER_TABLE = {
        /* STOP          */ bits(0, 1),
        /* RUNNING       */ bits(0, 1, 2, 3, 4, 6),
        /* stop-and-copy */ bits(0, 1, 2, 6),
        /* pre-copy      */ bits(0, 1, 2, 6),
        /* RESUMING      */ bits(1, 4, 6),
        /* 101b          */ 0,
        /* error         */ 0,
        /* 111b          */ 0,
    };

    private V1Transitions() {
    }

    /** Why writing {@code value} in state {@code current} is refused, or null when it is acceptable. */
    static Errno check(V1DeviceConfig config, int current, long value) {
        V1State.Rules rules = config.rules();
        if (V1State.isError(current, rules)) {
            return Errno.EINVAL;
        }
        if ((value & ~(long) config.supportedBits()) != 0) {
            return Errno.EINVAL;
        }
        if (V1State.isError(value, rules) || !V1State.valid(value, rules)) {
            return Errno.EINVAL;
        }
        if (config.transitions() == V1DeviceConfig.Transitions.LIBVFIO_USER
                && (LIBVFIO_USER_TABLE[current & V1State.MASK] & (1 << (value & V1State.MASK))) == 0) {
            return Errno.EINVAL;
        }
        return null;
    }

    private static int bits(int... states) {
        int m = 0;
        for (int s : states) {
            m |= 1 << s;
        }
        return m;
    }
}
