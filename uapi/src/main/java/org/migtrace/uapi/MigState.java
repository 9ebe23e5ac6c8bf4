package org.migtrace.uapi;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code enum vfio_device_mig_state}: the eight v2 migration states with their uAPI values and
 * the migration flags a device must support for each state to exist on it
 * ({@code drivers/vfio/vfio_main.c: vfio_mig_get_next_state}, {@code state_flags_table}).
 */
public enum MigState {
    /**
     * Never settable; leaving it needs {@code VFIO_DEVICE_RESET}. The kernel's table says it
     * requires {@code ~0U}, every flag bit there is, so no device ever "supports" it.
     */
    ERROR(0, EnumSet.allOf(MigrationFlag.class)),
    STOP(1, EnumSet.of(MigrationFlag.STOP_COPY)),
    RUNNING(2, EnumSet.of(MigrationFlag.STOP_COPY)),
    STOP_COPY(3, EnumSet.of(MigrationFlag.STOP_COPY)),
    RESUMING(4, EnumSet.of(MigrationFlag.STOP_COPY)),
    RUNNING_P2P(5, EnumSet.of(MigrationFlag.STOP_COPY, MigrationFlag.P2P)),
    PRE_COPY(6, EnumSet.of(MigrationFlag.STOP_COPY, MigrationFlag.PRE_COPY)),
    PRE_COPY_P2P(7, EnumSet.of(MigrationFlag.STOP_COPY, MigrationFlag.P2P, MigrationFlag.PRE_COPY));

    /** {@code VFIO_DEVICE_STATE_NR}. */
    public static final int NR = 8;

    private static final MigState[] BY_VALUE = values();

    private final int value;
    private final Set<MigrationFlag> requires;

    MigState(int value, EnumSet<MigrationFlag> requires) {
        this.value = value;
        this.requires = requires;
    }

    /** The uAPI value ({@code VFIO_DEVICE_STATE_*}). */
    public int value() {
        return value;
    }

    /** Whether a device with these migration flags has this state. */
    public boolean supportedBy(Set<MigrationFlag> flags) {
        return supportedBy(MigrationFlag.mask(flags));
    }

    /** Whether a device with this flag mask has this state ({@code (flags & required) == required}). */
    public boolean supportedBy(int flagMask) {
        if (this == ERROR) {
            return false;
        }
        int need = MigrationFlag.mask(requires);
        return (flagMask & need) == need;
    }

    /** The state with this uAPI value; empty for values outside 0..7. */
    public static Optional<MigState> of(long value) {
        return value >= 0 && value < NR ? Optional.of(BY_VALUE[(int) value]) : Optional.empty();
    }

    /** Whether this is a state in which the device streams its state out (a save session is open). */
    public boolean isSaving() {
        return this == PRE_COPY || this == PRE_COPY_P2P || this == STOP_COPY;
    }

    /** Whether the device may run (and so DMA and dirty memory) in this state. */
    public boolean isRunning() {
        return this == RUNNING || this == RUNNING_P2P || this == PRE_COPY || this == PRE_COPY_P2P;
    }
}
