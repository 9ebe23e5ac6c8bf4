package org.migtrace.sim.run.internal;

import org.migtrace.uapi.Errno;

/**
 * Why a migration failed: the device and the operation QEMU was doing, the errno the kernel
 * returned, and QEMU's message. The first one recorded wins, as {@code migration_file_set_error}
 * keeps the first error of the stream.
 *
 * @param device  the device, or "" when the failure is not a device's
 * @param op      the operation: a state change {@code RUNNING>PRE_COPY}, {@code read}, {@code DMA_LOGGING_START}, ...
 * @param ret     the {@code -errno} returned (0 when there is none)
 * @param message what QEMU would print
 */
record Failure(String device, String op, long ret, String message) {
    /** The errno's name, or "" when there is none. */
    String errno() {
        return Errno.describe(ret);
    }

    /** Holds the first failure of a run. */
    static final class Latch {
        private Failure first;

        /**
         * Records the failure of {@code op} unless a failure is already recorded: QEMU's
         * {@code message}, to which the errno's description is appended ({@code error_setg_errno}).
         *
         * @return {@code ret}
         */
        long fail(String device, String op, long ret, String message) {
            if (first == null) {
                first = new Failure(device, op, ret, message + ": " + Errno.describe(ret));
            }
            return ret;
        }

        boolean failed() {
            return first != null;
        }

        Failure first() {
            return first;
        }
    }
}
