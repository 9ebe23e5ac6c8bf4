package org.migtrace.sim.run.internal;

import org.migtrace.sim.scenario.DeviceSpec;

/**
 * What the v1 and v2 device handlers share: the device's scenario entry, its migration blocker if
 * any, the link its data goes over, the byte counts, and recording failures.
 */
abstract class DeviceBase implements VmmDevice {
    private final DeviceSpec spec;
    private final Failure.Latch failures;
    private ChunkSink sink = data -> { };
    private String blocker = "";
    private long precopyBytes;
    private long stopCopyBytes;

    DeviceBase(DeviceSpec spec, Failure.Latch failures) {
        this.spec = spec;
        this.failures = failures;
    }

    @Override
    public final DeviceSpec spec() {
        return spec;
    }

    @Override
    public final boolean migratable() {
        return blocker.isEmpty();
    }

    @Override
    public final String blocker() {
        return blocker;
    }

    /** QEMU adds a migration blocker for this device ({@code vfio_block_migration}). */
    final void block(String message) {
        blocker = spec.name() + ": " + message;
    }

    @Override
    public final void connect(ChunkSink s) {
        this.sink = s;
    }

    /** Hands a chunk of device state read on the source to the link, counting it. */
    final void carry(byte[] data, boolean precopy) {
        if (precopy) {
            precopyBytes += data.length;
        } else {
            stopCopyBytes += data.length;
        }
        sink.accept(data);
    }

    /** Records a failure of operation {@code op} of this device, with QEMU's message. */
    final long fail(String op, long ret, String message) {
        return failures.fail(spec.name(), op, ret, spec.name() + ": " + message);
    }

    @Override
    public final long precopyBytes() {
        return precopyBytes;
    }

    @Override
    public final long stopCopyBytes() {
        return stopCopyBytes;
    }
}
