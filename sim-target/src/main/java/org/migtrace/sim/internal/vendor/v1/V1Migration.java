package org.migtrace.sim.internal.vendor.v1;

import java.util.function.Function;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.V1State;

/**
 * One v1 device's migration state: the device_state register and what hangs off it (the save
 * stream and its iteration FSM, the resume sink). Every change of device_state goes through here
 * and is reported as a {@code v1} device-state event ({@code write}, {@code error} or
 * {@code reset}).
 *
 * <p>A device_state write is performed before the write returns (uAPI). Its order: the encoding and
 * transition checks of {@link V1Transitions}; the vendor's veto on setting SAVING (a refusal, the
 * device is not touched: the state stays); then the device-side work, which can fail (configured
 * faults, the resume validation when RESUMING is cleared): the state then stays or becomes the error
 * state 110b, as {@link V1DeviceConfig#onFailure()} says (uAPI: "the vendor driver should return
 * previous state of the device unless the vendor driver has encountered an internal error").
 */
final class V1Migration {
    private final V1DeviceConfig config;
    private final SaveStream stream;
    private final SaveIteration save;
    private final ResumeSink resume;
    private final String deviceName;
    private final Function<KernelCtx, Errno> savingVeto;
    private int state = V1State.RUNNING;

    /**
     * @param savingVeto asked before SAVING is set: an errno to refuse the write with, or null
     */
    V1Migration(V1DeviceConfig config, String deviceName, Function<KernelCtx, Errno> savingVeto) {
        this.config = config;
        this.deviceName = deviceName;
        this.savingVeto = savingVeto;
        this.stream = new SaveStream(config);
        this.save = new SaveIteration(config, stream);
        this.resume = new ResumeSink(config);
    }

    int state() {
        return state;
    }

    boolean error() {
        return V1State.isError(state, config.rules());
    }

    boolean saving() {
        return saving(state);
    }

    boolean resuming() {
        return !error() && (state & V1State.RESUMING) != 0;
    }

    /** RUNNING and not quiesced by NDMA (the RFC: no new DMA while NDMA; none at all while !RUNNING). */
    boolean dmaAllowed() {
        return !error() && (state & V1State.RUNNING) != 0 && (state & V1State.NDMA) == 0;
    }

    ResumeSink resumeSink() {
        return resume;
    }

    /** A write of device_state: 0 or {@code -errno}. */
    long writeState(KernelCtx ctx, long value) {
        int from = state;
        Errno refused = V1Transitions.check(config, from, value);
        if (refused != null) {
            return refused.ret();
        }
        int to = (int) value;
        if (!saving(from) && saving(to)) {
            Errno veto = savingVeto.apply(ctx);
            if (veto != null) {
                return veto.ret();
            }
        }
        Errno failed = deviceWork(from, to);
        if (failed != null) {
            if (config.onFailure() == V1DeviceConfig.OnFailure.ERROR_STATE) {
                enter(ctx, (int) V1State.setError(from, config.rules()), "error");
            }
            return failed.ret();
        }
        enter(ctx, to, "write");
        return 0;
    }

    /** What the device reports when it performs {@code from → to}: a configured fault, or the resume check. */
    private Errno deviceWork(int from, int to) {
        for (V1DeviceConfig.TransitionFault f : config.faults()) {
            if (f.from() == from && f.to() == to) {
                return f.errno();
            }
        }
        boolean leavesResuming = (from & V1State.RESUMING) != 0 && (to & V1State.RESUMING) == 0;
        return leavesResuming ? resume.validate() : null;
    }

    /** Sets the state (a write, or the fall into error) and restarts the save iteration. */
    private void enter(KernelCtx ctx, int to, String cause) {
        int from = state;
        state = to;
        save.restart();
        stream.enter(phaseOf(to), ctx.nowNs());
        if ((from & V1State.RESUMING) == 0 && resuming()) {
            resume.begin();
        }
        if (from != to) {
            ctx.deviceState(deviceName, "v1", from, to, cause);
        }
    }

    private SaveStream.Phase phaseOf(int s) {
        if (!saving(s)) {
            return SaveStream.Phase.NONE;
        }
        return (s & V1State.RUNNING) != 0 ? SaveStream.Phase.PRE_COPY : SaveStream.Phase.STOP_COPY;
    }

    private boolean saving(int s) {
        return !V1State.isError(s, config.rules()) && (s & V1State.SAVING) != 0;
    }

    /**
     * {@code VFIO_DEVICE_RESET}: the default state RUNNING (the RFC: reset "must transition the
     * migration state to the default value"), no stream, no iteration.
     */
    void reset(KernelCtx ctx) {
        int from = state;
        state = V1State.RUNNING;
        save.reset();
        stream.reset();
        resume.begin();
        if (from != state) {
            ctx.deviceState(deviceName, "v1", from, state, "reset");
        }
    }

    // ---- registers other than device_state (MigrationRegion has checked width and alignment)

    long readPending(KernelCtx ctx) {
        return save.readPending(ctx.nowNs(), saving());
    }

    /** data_offset is defined while SAVING or RESUMING only (libvfio-user: EINVAL in any other state). */
    long readDataOffset(KernelCtx ctx) {
        if (saving()) {
            return save.readDataOffset(ctx.nowNs());
        }
        return resuming() ? resume.dataOffset() : Errno.EINVAL.ret();
    }

    long readDataSize() {
        if (saving()) {
            return save.readDataSize();
        }
        return resuming() ? resume.lastSize() : Errno.EINVAL.ret();
    }

    /** data_size is read-only while SAVING ("data_size is RO when saving") and undefined outside RESUMING. */
    long writeDataSize(long size) {
        return resuming() ? resume.consume(size) : Errno.EINVAL.ret();
    }

    /** Data window read: the prepared chunk while SAVING; nothing to read in any other state. */
    long readData(long rel, byte[] dst) {
        return saving() ? save.readData(rel, dst) : Errno.EINVAL.ret();
    }

    /** Data window write: only while RESUMING (the window is the user's to fill then). */
    long writeData(long count) {
        return resuming() ? count : Errno.EINVAL.ret();
    }
}
