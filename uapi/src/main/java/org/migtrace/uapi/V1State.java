package org.migtrace.uapi;

import java.util.StringJoiner;

/**
 * The v1 migration protocol's {@code device_state} field (kernel 5.8 – 5.17,
 * {@code struct vfio_device_migration_info}): three bits RUNNING, SAVING, RESUMING, and the proposed
 * NDMA bit of the December 2021 RFC that was never merged.
 *
 * <p>Two rule sets: the merged header macros ({@code VFIO_DEVICE_STATE_VALID}, {@code _IS_ERROR},
 * {@code _SET_ERROR}; renamed {@code _V1_} in 6.1) look at bits 0..2 only; the NDMA RFC widens the
 * mask to bit 3 and changes what is valid (0xE is invalid but not an error there).
 */
public final class V1State {
    public static final int STOP = 0;
    public static final int RUNNING = 1;
    public static final int SAVING = 1 << 1;
    public static final int RESUMING = 1 << 2;
    /** {@code VFIO_DEVICE_STATE_NDMA} from the RFC: no new DMA and no interrupts. */
    public static final int NDMA = 1 << 3;
    /** {@code VFIO_DEVICE_STATE_MASK} of the merged header. */
    public static final int MASK = RUNNING | SAVING | RESUMING;
    /** The RFC's mask, including NDMA. */
    public static final int MASK_NDMA = MASK | NDMA;
    /** The error encoding: SAVING|RESUMING (110b). */
    public static final int ERROR = SAVING | RESUMING;

    /** Which rules classify a value. */
    public enum Rules {
        /** The merged {@code include/uapi/linux/vfio.h} macros (5.8 – 5.17). */
        MERGED,
        /** The NDMA RFC (Williamson, 9 Dec 2021). */
        NDMA_RFC
    }

    private V1State() {
    }

    /** {@code VFIO_DEVICE_STATE_VALID(state)} under the chosen rules. */
    public static boolean valid(long state, Rules rules) {
        if (rules == Rules.MERGED) {
            return (state & RESUMING) == 0 || (state & MASK) == RESUMING;
        }
        boolean savingAndResuming = (state & SAVING) != 0 && (state & RESUMING) != 0;
        boolean resumingAndRunning = (state & RESUMING) != 0 && (state & RUNNING) != 0;
        return !savingAndResuming && !resumingAndRunning;
    }

    /** {@code VFIO_DEVICE_STATE_IS_ERROR(state)} under the chosen rules. */
    public static boolean isError(long state, Rules rules) {
        return rules == Rules.MERGED ? (state & MASK) == ERROR : (state & MASK_NDMA) == ERROR;
    }

    /**
     * {@code VFIO_DEVICE_STATE_SET_ERROR(state)}: keep the bits outside the mask, force the error
     * encoding (the RFC also clears NDMA, which is inside its mask).
     */
    public static long setError(long state, Rules rules) {
        long mask = rules == Rules.MERGED ? MASK : MASK_NDMA;
        return (state & ~mask) | ERROR;
    }

    /**
     * The value's bits as {@code RUNNING|SAVING}; {@code STOP} for 0; NDMA and unknown high bits are
     * shown too ({@code 0x10} for bit 4).
     */
    public static String bits(long state) {
        if (state == 0) {
            return "STOP";
        }
        StringJoiner j = new StringJoiner("|");
        if ((state & RUNNING) != 0) {
            j.add("RUNNING");
        }
        if ((state & SAVING) != 0) {
            j.add("SAVING");
        }
        if ((state & RESUMING) != 0) {
            j.add("RESUMING");
        }
        if ((state & NDMA) != 0) {
            j.add("NDMA");
        }
        long rest = state & ~0xFL;
        for (int b = 4; b < 64 && rest != 0; b++) {
            if ((rest & (1L << b)) != 0) {
                j.add("0x" + Long.toHexString(1L << b));
                rest &= ~(1L << b);
            }
        }
        return j.toString();
    }
}
