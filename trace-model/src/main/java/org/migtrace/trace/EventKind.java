package org.migtrace.trace;

/** The {@code kind} column of {@code events}: what sort of thing happened. */
public enum EventKind implements Labeled {
    /** A syscall the VMM made: {@code op} is the ioctl name or the syscall name. */
    SYSCALL,
    /** A device's migration state changed: {@code op} is {@code DEVICE_STATE}, {@code from_state}/{@code to_state} say how. */
    STATE,
    /** A batch of writes to guest memory: {@code op} is {@code CPU_WRITE} or {@code DMA_WRITE}; the pages are dirty runs. */
    WRITE,
    /** A step of the migration driver: {@code op} is a {@link MigrationOp}. */
    MIGRATION,
    /** Events the capture lost: {@code op} is {@code LOST}, {@code count} says how many. */
    LOST,
    /**
     * A trace point the VMM emitted (QEMU's trace events, from its {@code log} backend or its USDT
     * probes): {@code op} is the trace event's name ({@code vfio_migration_set_state}), its fields are
     * in {@code args} by the names in QEMU's trace-events file, and the ones with a column of their
     * own (device, states, sizes) fill it.
     */
    TRACEPOINT,
    /**
     * A message of the capture tool about the capture itself (bpftrace's {@code helper_error},
     * {@code errorf}, {@code warnf}, {@code runtime_error}, a printf line it could not read): actor
     * {@code capture}, {@code op} the message's type, the message and its place in {@code args}.
     * Kept where it occurred, so an analysis sees which rows around it may lack data.
     */
    DIAGNOSTIC
}
