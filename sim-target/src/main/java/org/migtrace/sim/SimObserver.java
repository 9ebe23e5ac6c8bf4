package org.migtrace.sim;

/**
 * Sees everything the simulated stack does, without the stack knowing who listens: every
 * syscall (entry and exit), every device state change, every memory write, every step of a
 * migration (setup, each sync, switchover, the outcome). The recorder attaches
 * here; tests use it to check invariants. Callbacks run synchronously, in event order, and must not
 * call back into the stack.
 */
public interface SimObserver {
    default void syscallEnter(SyscallEvent call) {
    }

    /** The call returned {@code ret} ({@code -errno} on failure); outputs are now in user memory. */
    default void syscallExit(SyscallEvent call, long ret) {
    }

    default void deviceState(DeviceStateEvent event) {
    }

    default void memoryWrite(MemoryWriteEvent event) {
    }

    /** The migration driver reached a step of the migration (setup, a sync, switchover, the end). */
    default void migration(MigrationEvent event) {
    }
}
