package org.migtrace.sim.internal.vendor;

import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/**
 * A v2 migration driver that follows the uAPI text rather than one in-tree driver: every arc for any
 * flag combination (so all four feature combinations can be exercised), the {@link RecordFormat}
 * stream with whole images (no chunking), new dirty data cut into the stream whenever a pre-copy
 * reader reaches the end while the device has changed state, ENOMSG when there is none, and
 * PRECOPY_INFO reporting {@code initial_bytes} and {@code dirty_bytes} (changed state counted with
 * its record header) side by side. MIG_DATA_SIZE is the full image outside a pre-copy session and
 * what the final image would carry inside one (the part of the state the initial image left out,
 * plus what changed since the last cut). The destination checks each record header as it arrives
 * (EFAULT for a bad or foreign one, as mtty does for its header; the stream is then dead) and
 * RESUMING→STOP fails with EINVAL unless the final record arrived whole.
 *
 * <p>It is the migration driver of a generic VF variant driver ({@code plain-vf} with migration
 * flags: DMA through the IOMMU, no tracking of its own) and of the emulated-IOMMU
 * {@link MdevPinDevice}, which adds pinning.
 */
class UapiMigrationDevice extends V2MigrationDevice implements SaveSource, ResumeSink {
    private static final RecordParser.Policy POLICY =
            new RecordParser.Policy(Errno.EFAULT, Errno.EFAULT, Long.MAX_VALUE, Errno.EFAULT, false);

    private long residual;
    private RecordParser parser;

    UapiMigrationDevice(V2DeviceConfig config) {
        super(config);
    }

    @Override
    public long openDevice(KernelCtx ctx) {
        runningAtOpen(ctx);
        return 0;
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        disableFiles();
    }

    // ---- migration

    @Override
    public long getDataSize(KernelCtx ctx, long[] out) {
        boolean preCopy = saving() != null && (state() == PRE_COPY || state() == PRE_COPY_P2P);
        out[0] = preCopy ? residual + growth.dirtyBytes(ctx.nowNs()) : growth.stateBytes();
        return 0;
    }

    @Override
    protected SetStateResult step(KernelCtx ctx, MigState from, MigState to) {
        if ((from == RUNNING && (to == STOP || to == RUNNING_P2P)) || (from == STOP && (to == RUNNING || to == RUNNING_P2P))
                || (from == RUNNING_P2P && (to == RUNNING || to == STOP))
                || (from == PRE_COPY && to == PRE_COPY_P2P) || (from == PRE_COPY_P2P && to == PRE_COPY)) {
            return SetStateResult.NONE;
        }
        if ((from == RUNNING && to == PRE_COPY) || (from == RUNNING_P2P && to == PRE_COPY_P2P) || (from == STOP && to == STOP_COPY)) {
            return openSave(ctx, from == STOP);
        }
        if ((from == PRE_COPY || from == PRE_COPY_P2P) && to == STOP_COPY) {
            RecordFormat.finish(saving(), config.modelId(), residual + growth.dirtyBytes(ctx.nowNs()), Long.MAX_VALUE);
            residual = 0;
            growth.cut(ctx.nowNs());
            return SetStateResult.NONE;
        }
        if ((from == PRE_COPY && to == RUNNING) || (from == PRE_COPY_P2P && to == RUNNING_P2P)
                || (from == STOP_COPY && to == STOP)) {
            disableFiles();
            return SetStateResult.NONE;
        }
        if (from == STOP && to == RESUMING) {
            parser = new RecordParser(config.modelId(), POLICY);
            return SetStateResult.file(openResumeFile(this, () -> { }));
        }
        if (from == RESUMING && to == STOP) {
            if (!parser.complete()) {
                return SetStateResult.error(Errno.EINVAL.ret());
            }
            disableFiles();
            return SetStateResult.NONE;
        }
        return unsupportedArc();
    }

    /** A new save file: the whole state when stopped, else the initial pre-copy image. */
    private SetStateResult openSave(KernelCtx ctx, boolean stopped) {
        SaveFile f = openSaveFile(this);
        if (stopped) {
            RecordFormat.writeFull(f, config.modelId(), growth.stateBytes(), Long.MAX_VALUE);
        } else {
            RecordFormat.openPreCopy(f, config.modelId(), growth.stateBytes(), growth.initialBytes(), Long.MAX_VALUE);
            residual = growth.stateBytes() - growth.initialBytes();
        }
        growth.cut(ctx.nowNs());
        return SetStateResult.file(f);
    }

    // ---- save file

    @Override
    public long endOfData(KernelCtx ctx, SaveFile file) {
        if (file.complete()) {
            return 0;
        }
        long dirty = growth.dirtyBytes(ctx.nowNs());
        if (dirty == 0) {
            return Errno.ENOMSG.ret();
        }
        RecordFormat.appendIncrement(file, config.modelId(), dirty, Long.MAX_VALUE);
        growth.cut(ctx.nowNs());
        return 1;
    }

    @Override
    public long precopyInfo(KernelCtx ctx, SaveFile file, long[] out) {
        if (state() != PRE_COPY && state() != PRE_COPY_P2P) {
            return Errno.EINVAL.ret();
        }
        if (file.disabled()) {
            return Errno.ENODEV.ret();
        }
        long pos = file.position();
        long initialEnd = file.initialEnd();
        long dirty = growth.dirtyBytes(ctx.nowNs());
        out[0] = Math.max(0, initialEnd - pos);
        out[1] = file.stream().end() - Math.max(pos, initialEnd)
                + (dirty > 0 ? RecordFormat.framed(dirty, Long.MAX_VALUE) : 0);
        return 0;
    }

    // ---- resume file

    @Override
    public long write(KernelCtx ctx, ResumeFile file, long buf, long count) {
        if (file.disabled()) {
            return Errno.ENODEV.ret();
        }
        if (parser.broken()) {
            return Errno.EFAULT.ret();
        }
        long ret = parser.consume(ctx, buf, count);
        if (ret < 0) {
            return ret;
        }
        file.advance(count);
        return count;
    }
}
