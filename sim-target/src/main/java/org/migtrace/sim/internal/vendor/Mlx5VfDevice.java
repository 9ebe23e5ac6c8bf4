package org.migtrace.sim.internal.vendor;

import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/**
 * mlx5-vfio-pci ({@code drivers/vfio/pci/mlx5/main.c}, {@code cmd.c}) as its user sees it.
 *
 * <p>Arcs ({@code mlx5vf_pci_step_device_state_locked}): the P2P arcs suspend or resume the
 * function and open nothing; STOP→STOP_COPY saves the whole state into a new file; RUNNING→PRE_COPY
 * and RUNNING_P2P→PRE_COPY_P2P open a file with the initial image and start tracking;
 * PRE_COPY_P2P→STOP_COPY appends the final incremental image to the same file; leaving the
 * session states disables the files; STOP→RESUMING opens the resume file; RESUMING→STOP only
 * disables it. Every other arc is the driver's {@code WARN_ON(true)}: EINVAL.
 *
 * <p>Save file: a stream in {@link RecordFormat} (images cut in 8 MiB records, as in chunk mode).
 * A read at the end of the data fails with ENOMSG while the session is in pre-copy and returns 0
 * once the final image is in ({@code mlx5vf_save_read}). New dirty data reaches the stream only
 * when {@code VFIO_MIG_GET_PRECOPY_INFO} finds the reader at the end and the device reports changed
 * state ({@code mlx5vf_precopy_ioctl} issues the incremental SAVE then), so a reader that never
 * asks sees ENOMSG after the initial data. PRECOPY_INFO reports {@code initial_bytes} while
 * initial data is unread and {@code dirty_bytes = unread + changed state} after that, never both;
 * in PRE_COPY_P2P it does not query the (suspended) device.
 *
 * <p>Resume file ({@code mlx5vf_resume_write}): records are checked as they arrive; a malformed
 * header fails with EOPNOTSUPP (mlx5's unknown mandatory tag), a record over {@code MAX_LOAD_SIZE}
 * with ENOMEM, an image from another device model with EREMOTEIO when the firmware LOADs it; after
 * any error the file is dead (ENODEV). RESUMING→STOP checks nothing: a truncated stream goes
 * unnoticed, as on the real driver.
 *
 * <p>MIG_DATA_SIZE is the full state image ({@code mlx5vf_pci_get_data_size} queries without the
 * incremental bit). Reset puts the device in RUNNING and disables the files but leaves the page
 * tracker running ({@code mlx5vf_pci_aer_reset_done}); close stops the tracker
 * ({@code mlx5vf_cmd_close_migratable}).
 */
final class Mlx5VfDevice extends V2MigrationDevice implements SaveSource, ResumeSink {
    /** {@code MAX_CHUNK_SIZE}. */
    static final long MAX_CHUNK = 8L << 20;
    /** {@code MAX_LOAD_SIZE}: the LOAD command's 32-bit size field. */
    static final long MAX_LOAD = (1L << 32) - 1;
    private static final RecordParser.Policy POLICY =
            new RecordParser.Policy(Errno.EOPNOTSUPP, Errno.ENOMEM, MAX_LOAD, Errno.EREMOTEIO, true);

    private final PageTracker tracker;
    private long residual;
    private RecordParser parser;

    Mlx5VfDevice(V2DeviceConfig config) {
        super(config);
        this.tracker = config.dmaLogging() ? new PageTracker(config.tracker()) : null;
    }

    PageTracker tracker() {
        return tracker;
    }

    @Override
    public LogOps logOps() {
        return tracker;
    }

    @Override
    public void dmaWritten(KernelCtx ctx, long iova, long length) {
        if (tracker != null) {
            tracker.record(iova, length);
        }
    }

    @Override
    public long openDevice(KernelCtx ctx) {
        runningAtOpen(ctx);
        return 0;
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        disableFiles();
        if (tracker != null) {
            tracker.logStop(ctx);
        }
    }

    @Override
    public long getDataSize(KernelCtx ctx, long[] out) {
        out[0] = growth.stateBytes();
        return 0;
    }

    @Override
    protected SetStateResult step(KernelCtx ctx, MigState from, MigState to) {
        if ((from == RUNNING_P2P && to == STOP) || (from == STOP && to == RUNNING_P2P)
                || (from == RUNNING && to == RUNNING_P2P) || (from == PRE_COPY && to == PRE_COPY_P2P)
                || (from == RUNNING_P2P && to == RUNNING) || (from == PRE_COPY_P2P && to == PRE_COPY)) {
            return SetStateResult.NONE; // SUSPEND_VHCA / RESUME_VHCA, initiator or responder
        }
        if (from == STOP && to == STOP_COPY) {
            return saveDeviceData(ctx, false);
        }
        if ((from == STOP_COPY && to == STOP) || (from == RESUMING && to == STOP)
                || (from == PRE_COPY && to == RUNNING) || (from == PRE_COPY_P2P && to == RUNNING_P2P)) {
            disableFiles();
            return SetStateResult.NONE;
        }
        if (from == STOP && to == RESUMING) {
            parser = new RecordParser(config.modelId(), POLICY);
            return SetStateResult.file(openResumeFile(this, () -> { }));
        }
        if ((from == RUNNING && to == PRE_COPY) || (from == RUNNING_P2P && to == PRE_COPY_P2P)) {
            return saveDeviceData(ctx, true);
        }
        if (from == PRE_COPY_P2P && to == STOP_COPY) {
            saveIncData(ctx);
            return SetStateResult.NONE;
        }
        return unsupportedArc();
    }

    /**
     * {@code mlx5vf_pci_save_device_data}: a new save file with the size announcement and either
     * the initial pre-copy image ({@code track}: tracking starts) or the whole state.
     */
    private SetStateResult saveDeviceData(KernelCtx ctx, boolean track) {
        SaveFile f = openSaveFile(this);
        if (track) {
            RecordFormat.openPreCopy(f, config.modelId(), growth.stateBytes(), growth.initialBytes(), MAX_CHUNK);
            residual = growth.stateBytes() - growth.initialBytes();
        } else {
            RecordFormat.writeFull(f, config.modelId(), growth.stateBytes(), MAX_CHUNK);
        }
        growth.cut(ctx.nowNs());
        return SetStateResult.file(f);
    }

    /** {@code mlx5vf_pci_save_device_inc_data}: the final incremental image, on the pre-copy file. */
    private void saveIncData(KernelCtx ctx) {
        RecordFormat.finish(saving(), config.modelId(), residual + growth.dirtyBytes(ctx.nowNs()), MAX_CHUNK);
        residual = 0;
        growth.cut(ctx.nowNs());
    }

    // ---- save file

    @Override
    public long endOfData(KernelCtx ctx, SaveFile file) {
        return file.complete() ? 0 : Errno.ENOMSG.ret();
    }

    @Override
    public long precopyInfo(KernelCtx ctx, SaveFile file, long[] out) {
        if (state() != PRE_COPY && state() != PRE_COPY_P2P) {
            return Errno.EINVAL.ret();
        }
        long inc = state() == PRE_COPY ? growth.dirtyBytes(ctx.nowNs()) : 0; // QUERY_VHCA_MIGRATION_STATE, incremental
        if (file.disabled()) {
            return Errno.ENODEV.ret();
        }
        boolean endOfData = false;
        if (file.initialEnd() > file.position()) {
            out[0] = file.initialEnd() - file.position();
        } else {
            out[1] = file.unread();
            endOfData = out[1] == 0;
            out[1] += inc;
        }
        if (endOfData && inc > 0) {
            RecordFormat.appendIncrement(file, config.modelId(), inc, MAX_CHUNK); // the SAVE of the dirty state
            growth.cut(ctx.nowNs());
        }
        return 0;
    }

    // ---- resume file

    @Override
    public long write(KernelCtx ctx, ResumeFile file, long buf, long count) {
        if (file.disabled() || file != resuming() || parser.broken()) {
            return Errno.ENODEV.ret(); // MLX5_MIGF_STATE_ERROR
        }
        long ret = parser.consume(ctx, buf, count);
        if (ret < 0) {
            return ret;
        }
        file.advance(count);
        return count;
    }
}
