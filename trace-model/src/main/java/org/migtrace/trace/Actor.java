package org.migtrace.trace;

/** The {@code actor} column of {@code events}: who acted. */
public enum Actor implements Labeled {
    /** The VMM's user-space code (QEMU): every syscall. */
    VMM,
    /** A vCPU writing guest memory. */
    GUEST_CPU,
    /** A device writing guest memory by DMA. */
    DEVICE_DMA,
    /** The kernel on its own account (a device state change a driver made). */
    KERNEL,
    /** The migration driver's bookkeeping (setup, a sync's numbers, switchover, the outcome). */
    MIGRATION,
    /** The capture itself (lost-event markers). */
    CAPTURE
}
