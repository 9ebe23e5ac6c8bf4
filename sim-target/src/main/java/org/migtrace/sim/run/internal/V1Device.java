package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimThread;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.sim.vmm.V1Calls;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.V1State;

/**
 * A v1 device as QEMU 6.0 – 7.2 drives it ({@code hw/vfio/migration.c} before the v2 rewrite):
 * device_state changes by read-modify-write of the migration region, {@code pending_bytes} read on
 * every pending query, one {@code vfio_save_buffer} per iterate. The region is found at realize
 * ({@code vfio_migration_probe}), mapped at save/load setup when it can be, unmapped at cleanup.
 *
 * <p>All of the device's region accesses go through one thread per host: the migration thread on
 * the source (where QEMU makes nearly all of them), the main thread on the destination.
 */
final class V1Device extends DeviceBase {
    private final V1Calls calls;
    private long lastPending;

    V1Device(DeviceSpec spec, int fd, SimThread thread, Failure.Latch failures) {
        super(spec, failures);
        this.calls = new V1Calls(thread, fd, V1Calls.Qemu.V6_0_TO_7_0);
        long ret = calls.findMigrationRegion();
        if (ret < 0) {
            block("VFIO device doesn't support migration (no migration region: " + Errno.describe(ret) + ")");
        }
    }

    @Override
    public boolean dmaLoggingSupported() {
        return false; // device DMA logging came with v2
    }

    @Override
    public DeviceCalls loggingCalls(boolean migrationThread) {
        return null;
    }

    @Override
    public boolean p2p() {
        return false;
    }

    /** {@code vfio_migration_set_state(mask, value)}: 0 or {@code -errno}, recorded on failure. */
    private long setState(int mask, int value, String what) {
        long before = calls.cachedDeviceState();
        V1Calls.SetStateResult r = calls.setState(mask, value);
        if (r.ret() < 0) {
            fail(V1State.bits((int) before) + ">" + what, r.ret(), "Failed to set state " + what
                    + (r.hwError() ? " (device in error state: hw_error)" : ""));
        }
        return r.ret();
    }

    private long updatePending() {
        long ret = calls.updatePending();
        if (ret < 0) {
            return fail("pending_bytes", ret, "Failed to get pending bytes");
        }
        lastPending = ret;
        return ret;
    }

    // ---- source

    @Override
    public long saveSetup() {
        calls.mmapRegion(); // a failure falls back to read/write of the region
        return setState(V1State.MASK, V1State.SAVING, "SAVING");
    }

    @Override
    public long pendingEstimate() {
        long ret = updatePending();
        return ret < 0 ? 0 : ret;
    }

    @Override
    public long pendingExact() {
        return pendingEstimate();
    }

    @Override
    public boolean activeIterate() {
        return true;
    }

    /** {@code vfio_save_iterate}: refresh pending when it is 0, then one buffer. */
    @Override
    public long saveIterate() {
        if (calls.cachedPendingBytes() == 0) {
            long ret = updatePending();
            if (ret <= 0) {
                return Math.min(ret, 0);
            }
        }
        long n = saveBuffer(true);
        if (n >= 0) {
            calls.forgetPending();
        }
        return n;
    }

    private long saveBuffer(boolean precopy) {
        V1Calls.SaveRound r = calls.saveBuffer();
        if (r.ret() < 0) {
            return fail("save_buffer", r.ret(), "Failed to save buffer");
        }
        long n = r.dataSize();
        if (n > 0) {
            carry(r.data(), precopy);
        }
        return n;
    }

    @Override
    public boolean switchoverAcked() {
        return true;
    }

    @Override
    public void vmStatePrepare(boolean running) {
    }

    /** {@code vfio_vmstate_change}: stopping clears RUNNING; starting clears SAVING/RESUMING and sets RUNNING. */
    @Override
    public void vmStateChange(boolean running) {
        if (running) {
            setState(~V1State.MASK, V1State.RUNNING, "RUNNING");
        } else {
            setState(~V1State.RUNNING, 0, "!RUNNING");
        }
    }

    /** {@code vfio_save_complete_precopy}: SAVING, drain until pending is 0, then STOP. */
    @Override
    public long completePrecopy() {
        long ret = setState(~V1State.RUNNING, V1State.SAVING, "SAVING");
        if (ret < 0) {
            return ret;
        }
        long pending = updatePending();
        while (pending > 0) {
            long n = saveBuffer(false);
            if (n < 0) {
                return n;
            }
            if (n == 0) {
                break;
            }
            pending = updatePending();
        }
        if (pending < 0) {
            return pending;
        }
        return setState(~V1State.SAVING, 0, "STOP");
    }

    @Override
    public void saveCleanup() {
        calls.unmapRegion();
    }

    /** The v1 migration notifier on cancel or failure: clear SAVING and RESUMING, set RUNNING. */
    @Override
    public void migrationFailed() {
        setState(~(V1State.SAVING | V1State.RESUMING), V1State.RUNNING, "RUNNING");
    }

    // ---- destination

    @Override
    public long loadSetup() {
        calls.mmapRegion();
        return setState(~V1State.MASK, V1State.RESUMING, "RESUMING");
    }

    @Override
    public long load(byte[] data) {
        long ret = calls.loadBuffer(data);
        return ret < 0 ? fail("load_buffer", ret, "Failed to load buffer") : ret;
    }

    @Override
    public void loadCleanup() {
        calls.unmapRegion();
    }

    // ---- report

    @Override
    public String stateName() {
        return V1State.bits((int) calls.cachedDeviceState());
    }

    @Override
    public long lastStopCopySize() {
        return lastPending;
    }
}
