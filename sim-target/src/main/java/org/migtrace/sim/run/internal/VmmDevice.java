package org.migtrace.sim.run.internal;

import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.DeviceCalls;

/**
 * One assigned device as QEMU's {@code hw/vfio/migration.c} drives it: the save handlers on the
 * source ({@code save_setup}, the pending queries, {@code save_live_iterate},
 * {@code save_live_complete_precopy}, {@code save_cleanup}), the load handlers on the destination,
 * and the VM state change handlers on both. Every operation is made through syscalls on the
 * device's fds; errors come back as {@code -errno} and are recorded in the run's
 * {@link Failure.Latch}.
 */
interface VmmDevice {
    /** Where the source's device data goes: the link to the destination's copy of the device. */
    @FunctionalInterface
    interface ChunkSink {
        /** Carries {@code data} (read from the data fd or the migration region) to the destination. */
        void accept(byte[] data);
    }

    DeviceSpec spec();

    default String name() {
        return spec().name();
    }

    /** Whether the device can migrate; when not, {@link #blocker()} says why. */
    boolean migratable();

    /** QEMU's migration blocker message for a device that cannot migrate. */
    String blocker();

    /** Whether the device logs its own DMA ({@code VFIO_DEVICE_FEATURE_DMA_LOGGING_START} probes OK). */
    boolean dmaLoggingSupported();

    /** The v2 device calls on {@code thread} for DMA logging, or null for a v1 device. */
    DeviceCalls loggingCalls(boolean migrationThread);

    /** Whether the device advertises P2P (and so has a prepare VM state handler). */
    boolean p2p();

    void connect(ChunkSink sink);

    // ---- source

    /** {@code save_setup}: 0 or {@code -errno}. */
    long saveSetup();

    /** {@code state_pending_estimate}: cached pre-copy bytes (v2), {@code pending_bytes} (v1). */
    long pendingEstimate();

    /** {@code state_pending_exact}: re-queries the device. */
    long pendingExact();

    /** {@code is_active_iterate}. */
    boolean activeIterate();

    /** One {@code save_live_iterate}: bytes carried, or {@code -errno}. */
    long saveIterate();

    /** Whether the destination may switch over as far as this device goes ({@code switchover-ack}). */
    boolean switchoverAcked();

    /** The P2P "prepare" handler of a VM state change. */
    void vmStatePrepare(boolean running);

    /** The VM state change handler; {@code running} false is {@code RUN_STATE_FINISH_MIGRATE}. */
    void vmStateChange(boolean running);

    /** {@code save_live_complete_precopy}: 0 or {@code -errno}. */
    long completePrecopy();

    /** {@code save_cleanup}. */
    void saveCleanup();

    /** The migration notifier on failure or cancel: back to running. */
    void migrationFailed();

    // ---- destination

    /** {@code load_setup}: 0 or {@code -errno}. */
    long loadSetup();

    /** {@code load_state} of one data chunk: 0 or {@code -errno}. */
    long load(byte[] data);

    /** {@code load_cleanup}. */
    void loadCleanup();

    // ---- report

    /** The device state as QEMU last knew it ({@code RUNNING}, {@code STOP_COPY}, v1 bits). */
    String stateName();

    /** Device data carried during pre-copy. */
    long precopyBytes();

    /** Device data carried while the VM was stopped. */
    long stopCopyBytes();

    /** The device's stop-copy size at the last exact query (v2 MIG_DATA_SIZE; v1 pending bytes). */
    long lastStopCopySize();
}
