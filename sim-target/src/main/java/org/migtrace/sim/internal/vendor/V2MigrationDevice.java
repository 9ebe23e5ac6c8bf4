package org.migtrace.sim.internal.vendor;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vfio.MigrationOps;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.vendor.ArcFault;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.V2Fsm;

/**
 * What every v2 migration driver shares: the set-state loop, exactly as mlx5, hisi_acc, pds and
 * mtty write it ({@code *_set_device_state}):
 * <pre>
 *   while (cur != new) {
 *       ret = vfio_mig_get_next_state(vdev, cur, new, &amp;next);   // EINVAL → return it
 *       res = step(cur → next);                                 // an error → return it, cur unchanged
 *       cur = next;
 *       WARN_ON(res &amp;&amp; new != cur);                             // only the last arc opens a file
 *   }
 * </pre>
 * one arc at a time, each reported as a {@code DeviceStateEvent} with cause {@code arc}. A failed
 * arc leaves the device at the last state it reached (or in ERROR, for an injected
 * {@link ArcFault} that says so; cause {@code error}); SET to the current state does nothing and
 * succeeds, ERROR → ERROR included. Out of ERROR only a reset leads ({@code VFIO_DEVICE_RESET} →
 * {@link #resetDone}: RUNNING, data files disabled, cause {@code reset}), since the next-step
 * function refuses ERROR as a current state.
 *
 * <p>Subclasses implement {@link #step} with their driver's own arc list; an arc they do not list
 * fails with EINVAL (the drivers' {@code WARN_ON(true); return ERR_PTR(-EINVAL)}), which only a
 * changed flag mask can reach. Blocked arcs on 6.2–7.1 kernels (which hang) are not modelled here:
 * {@link V2Fsm} reports them; these drivers follow the current kernel.
 */
abstract class V2MigrationDevice implements VendorOps, MigrationOps {
    protected final V2DeviceConfig config;
    protected final DeviceStateModel growth;
    private final int flags;
    private final List<ArcFault> faults;
    private final int[] fired;
    private VfioDevice device;
    private MigState state = MigState.RUNNING;
    private SaveFile saving;
    private ResumeFile resuming;
    private int sessions;

    protected V2MigrationDevice(V2DeviceConfig config) {
        this.config = config;
        this.flags = config.migrationFlags();
        this.growth = new DeviceStateModel(config);
        this.faults = config.faults();
        this.fired = new int[faults.size()];
    }

    // ---- VendorOps

    @Override
    public String model() {
        return config.model().id();
    }

    @Override
    public void bind(VfioDevice dev) {
        this.device = dev;
    }

    @Override
    public MigrationOps migrationOps() {
        return this;
    }

    /** The device may DMA in RUNNING, RUNNING_P2P, PRE_COPY and PRE_COPY_P2P; never stopped or in ERROR. */
    @Override
    public boolean dmaAllowed() {
        return state.isRunning();
    }

    /** The common reset: RUNNING, files disabled (mlx5 and mtty {@code *_state_mutex_unlock} deferred reset). */
    @Override
    public void resetDone(KernelCtx ctx) {
        force(ctx, MigState.RUNNING, "reset");
        disableFiles();
    }

    // ---- MigrationOps

    @Override
    public SetStateResult setState(KernelCtx ctx, MigState target) {
        SetStateResult res = SetStateResult.NONE;
        while (state != target) {
            V2Fsm.NextStep hop = V2Fsm.nextState(state, target, flags);
            if (hop.outcome() != V2Fsm.Outcome.NEXT) {
                return SetStateResult.error(Errno.EINVAL.ret());
            }
            MigState next = hop.state();
            ArcFault fault = takeFault(state, next);
            if (fault != null) {
                if (fault.intoError()) {
                    force(ctx, MigState.ERROR, "error");
                }
                return SetStateResult.error(fault.errno().ret());
            }
            res = step(ctx, state, next);
            if (res.isError()) {
                return res;
            }
            MigState from = state;
            enter(ctx, next);
            ctx.deviceState(deviceName(), "v2", from.value(), next.value(), "arc");
            if (res.file() != null && next != target) {
                // the kernel WARNs and fails with EINVAL; the FSM table makes this unreachable
                throw new IllegalStateException("interior arc " + from + ">" + next + " opened a data file on the way to "
                        + target);
            }
        }
        return res;
    }

    @Override
    public MigState getState() {
        return state;
    }

    @Override
    public int migrationFlags() {
        return flags;
    }

    /** One arc of the driver's list: a new data file, nothing, or an error (the device stays at {@code from}). */
    protected abstract SetStateResult step(KernelCtx ctx, MigState from, MigState to);

    // ---- for the drivers

    /** The device the core registered (null before {@code bind}). */
    protected final VfioDevice device() {
        return device;
    }

    protected final String deviceName() {
        return device == null ? model() : device.name();
    }

    protected final MigState state() {
        return state;
    }

    protected final SaveFile saving() {
        return saving;
    }

    protected final ResumeFile resuming() {
        return resuming;
    }

    /** An arc this driver does not implement. */
    protected static SetStateResult unsupportedArc() {
        return SetStateResult.error(Errno.EINVAL.ret());
    }

    /** Opens the save side of a session; the driver keeps it until {@link #disableFiles()}. */
    protected final SaveFile openSaveFile(SaveSource source) {
        saving = new SaveFile(deviceName() + "/mig-save-" + (++sessions), source, config.streamBytesPerSecond());
        return saving;
    }

    /** Opens the resume side of a session. */
    protected final ResumeFile openResumeFile(ResumeSink sink, Runnable onDisable) {
        resuming = new ResumeFile(deviceName() + "/mig-resume-" + (++sessions), sink, config.streamBytesPerSecond(),
                onDisable);
        return resuming;
    }

    /** The drivers' {@code *_disable_fds}: both sides of the session are disabled and dropped. */
    protected final void disableFiles() {
        if (resuming != null) {
            resuming.disable();
            resuming = null;
        }
        if (saving != null) {
            saving.disable();
            saving = null;
        }
    }

    /** Sets the state outside an arc (reset, open, a fall into ERROR) and reports it. */
    protected final void force(KernelCtx ctx, MigState to, String cause) {
        MigState from = state;
        enter(ctx, to);
        ctx.deviceState(deviceName(), "v2", from.value(), to.value(), cause);
    }

    /** Sets RUNNING at open ({@code open_device}); reported as a reset when the state changes. */
    protected final void runningAtOpen(KernelCtx ctx) {
        if (state != MigState.RUNNING) {
            force(ctx, MigState.RUNNING, "reset");
        }
    }

    private void enter(KernelCtx ctx, MigState to) {
        growth.enter(ctx.nowNs(), to);
        state = to;
    }

    private ArcFault takeFault(MigState from, MigState to) {
        for (int i = 0; i < faults.size(); i++) {
            ArcFault f = faults.get(i);
            if (f.from() == from && f.to() == to && (f.times() == 0 || fired[i] < f.times())) {
                fired[i]++;
                return f;
            }
        }
        return null;
    }
}
