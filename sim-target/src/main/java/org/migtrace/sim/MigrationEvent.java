package org.migtrace.sim;

import java.util.List;

/**
 * What the migration driver did, at the level QEMU's migration state and trace points describe it
 * (as opposed to the syscalls it made, which observers see as {@link SyscallEvent}s). Emitted on
 * the source host, in order, through {@link SimObserver#migration}.
 */
public sealed interface MigrationEvent {
    /** The host that emitted it (the source). */
    String host();

    /** Virtual time. */
    long tsNs();

    /**
     * Migration setup finished: dirty logging started, the bulk stage armed, devices in their
     * pre-copy states.
     *
     * @param scenario  the scenario's name
     * @param seed      the seed of the run
     * @param ramBytes  guest RAM
     * @param tracking  how device DMA is tracked, per VFIO container ({@code device-logging},
     *                  {@code type1}, {@code iommufd}, {@code none})
     * @param devices   the devices, in the order the VMM added them
     */
    record Setup(String host, long tsNs, String scenario, long seed, long ramBytes, List<String> tracking,
                 List<String> devices) implements MigrationEvent {
        public Setup {
            tracking = List.copyOf(tracking);
            devices = List.copyOf(devices);
        }
    }

    /** A dirty-bitmap sync and its switchover test. */
    record Iteration(String host, long tsNs, IterationStats stats) implements MigrationEvent {
    }

    /**
     * The switchover test passed ({@code migration_thread_low_pending}): the VM stops next.
     *
     * @param iteration  the sync that decided
     * @param inclusive  whether the test was {@code pending <= threshold} (QEMU 10) or {@code <} (9.x)
     */
    record Switchover(String host, long tsNs, int iteration, long pendingBytes, long thresholdBytes,
                      boolean inclusive) implements MigrationEvent {
    }

    /**
     * The guest runs on the destination.
     *
     * @param downtimeNs  VM stop on the source to VM start on the destination
     * @param totalBytes  everything sent
     * @param lostPages   source pages written after their last copy that no dirty report caught
     */
    record Completed(String host, long tsNs, int iterations, long downtimeNs, long totalBytes, long lostPages)
            implements MigrationEvent {
    }

    /**
     * The migration failed; the VM runs on (or again on) the source.
     *
     * @param device  the device whose operation failed, or "" when none did
     * @param op      what failed: a state change {@code PRE_COPY_P2P>STOP_COPY}, {@code read}, ...
     * @param errno   the error's name ({@code EIO}), or "" when there is none
     * @param message what QEMU would report
     */
    record Failed(String host, long tsNs, String device, String op, String errno, String message)
            implements MigrationEvent {
    }

    /** The migration was cancelled ({@code migrate_cancel}); the VM runs on at the source. */
    record Cancelled(String host, long tsNs, int iterations, String reason) implements MigrationEvent {
    }
}
