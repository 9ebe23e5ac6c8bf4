package org.migtrace.trace;

/** The {@code op} of an event of kind {@code migration}: the migration driver's steps, by name. */
public enum MigrationOp {
    /** The migration started (QEMU {@code qemu_savevm_state_setup}). */
    SETUP,
    /** A dirty-bitmap sync; its numbers are the {@code iterations} row with the same {@code seq}. */
    ITERATION,
    /** The switchover test passed; the VM stops on the source. */
    SWITCHOVER,
    /** The guest runs on the destination. */
    COMPLETED,
    /** The migration failed (a device operation, a blocker). */
    FAILED,
    /** The migration was cancelled (the step limit). */
    CANCELLED
}
