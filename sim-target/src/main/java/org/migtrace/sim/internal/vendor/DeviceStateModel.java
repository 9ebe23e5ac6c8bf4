package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.MigState;

/**
 * How much of a device's migration state has changed since the driver last cut an image of it,
 * as a function of virtual time only (see {@link V2DeviceConfig}): the device dirties
 * {@code dirtyBytesPerSecond} while RUNNING or PRE_COPY, nothing in the P2P and stopped states,
 * and never more than its whole state. Cutting an image (the initial pre-copy image, an incremental
 * one, the final one) starts the count again.
 */
final class DeviceStateModel {
    private static final long NS_PER_SEC = 1_000_000_000L;

    private final long stateBytes;
    private final long initialBytes;
    private final long bytesPerSecond;
    private MigState state = MigState.RUNNING;
    private long lastNs = -1;
    private long changingNs;

    DeviceStateModel(V2DeviceConfig config) {
        this.stateBytes = config.stopCopyBytes();
        this.initialBytes = config.precopyInitialBytes();
        this.bytesPerSecond = config.dirtyBytesPerSecond();
    }

    /** S: the full state image. */
    long stateBytes() {
        return stateBytes;
    }

    /** I: the initial pre-copy image. */
    long initialBytes() {
        return initialBytes;
    }

    /** The device entered {@code next} at {@code nowNs}. */
    void enter(long nowNs, MigState next) {
        accrue(nowNs);
        state = next;
    }

    /** Bytes changed since the last cut, at {@code nowNs}. */
    long dirtyBytes(long nowNs) {
        accrue(nowNs);
        try {
            long whole = Math.multiplyExact(bytesPerSecond, changingNs / NS_PER_SEC);
            long frac = changingNs % NS_PER_SEC;
            long part = Math.addExact(Math.multiplyExact(bytesPerSecond / NS_PER_SEC, frac),
                    (bytesPerSecond % NS_PER_SEC) * frac / NS_PER_SEC);
            return Math.min(stateBytes, Math.addExact(whole, part));
        } catch (ArithmeticException e) {
            return stateBytes; // more than a long's worth of bytes: certainly the whole state
        }
    }

    /** An image was cut at {@code nowNs}: the dirty count starts from zero. */
    void cut(long nowNs) {
        accrue(nowNs);
        changingNs = 0;
    }

    private void accrue(long nowNs) {
        if (lastNs >= 0 && nowNs > lastNs && (state == MigState.RUNNING || state == MigState.PRE_COPY)) {
            changingNs = Math.addExact(changingNs, nowNs - lastNs);
        }
        if (nowNs > lastNs) {
            lastNs = nowNs;
        }
    }
}
