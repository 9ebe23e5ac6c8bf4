package org.migtrace.sim.internal.vfio;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIGRATION;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIG_STATE;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.IovaBitmap;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/**
 * {@code VFIO_DEVICE_FEATURE} as the VFIO core implements it ({@code drivers/vfio/vfio_main.c:
 * vfio_ioctl_device_feature} and the per-feature handlers), in the kernel's validation order:
 * header copy and size, unknown flag bits, GET and SET together without PROBE, then the feature's
 * own {@link #checkFeature} and payload handling. Migration and logging features go to the
 * driver's {@link MigrationOps} / {@link LogOps}; a device without them answers {@code ENOTTY}.
 */
public final class DeviceFeatureIoctl {
    /** {@code LOG_MAX_RANGES}: ranges must fit one kernel page. */
    public static final int LOG_MAX_RANGES = 4096 / VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE.size();

    private static final int HDR = VFIO_DEVICE_FEATURE.size();
    private static final int KNOWN_FLAGS = DeviceFeature.MASK | DeviceFeature.GET | DeviceFeature.SET | DeviceFeature.PROBE;

    private DeviceFeatureIoctl() {
    }

    /** The ioctl on a device fd with its argument pointer. */
    public static long ioctl(KernelCtx ctx, VfioDevice device, long arg) {
        byte[] hdr = ctx.copyFromUser(arg, HDR);
        if (hdr == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = VFIO_DEVICE_FEATURE.field("argsz").get(hdr, 0);
        int flags = (int) VFIO_DEVICE_FEATURE.field("flags").get(hdr, 0);
        if (argsz < HDR) {
            return Errno.EINVAL.ret();
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            return Errno.EINVAL.ret();
        }
        if ((flags & DeviceFeature.PROBE) == 0 && (flags & DeviceFeature.SET) != 0 && (flags & DeviceFeature.GET) != 0) {
            return Errno.EINVAL.ret();
        }
        long data = arg + HDR;
        long size = argsz - HDR;
        switch (flags & DeviceFeature.MASK) {
            case 1: return migration(ctx, device, flags, data, size);
            case 2: return migDeviceState(ctx, device, flags, data, size);
            case 6: return loggingStart(ctx, device, flags, data, size);
            case 7: return loggingStop(ctx, device, flags, size);
            case 8: return loggingReport(ctx, device, flags, data, size);
            case 9: return migDataSize(ctx, device, flags, data, size);
            default: return device.driver().deviceFeature(ctx, flags, data, size);
        }
    }

    /**
     * {@code vfio_check_feature} ({@code include/linux/vfio.h}): {@code -EINVAL} for an op the
     * feature does not support, 0 for a PROBE (answered before the payload is looked at), 1 to go on.
     */
    public static long checkFeature(int flags, long argsz, int supportedOps, long minsz) {
        if ((flags & (DeviceFeature.GET | DeviceFeature.SET) & ~supportedOps) != 0) {
            return Errno.EINVAL.ret();
        }
        if ((flags & DeviceFeature.PROBE) != 0) {
            return 0;
        }
        if ((flags & (DeviceFeature.GET | DeviceFeature.SET)) == 0) {
            return Errno.EINVAL.ret();
        }
        if (argsz < minsz) {
            return Errno.EINVAL.ret();
        }
        return 1;
    }

    private static long migration(KernelCtx ctx, VfioDevice device, int flags, long data, long size) {
        MigrationOps ops = device.driver().migrationOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        long ret = checkFeature(flags, size, DeviceFeature.GET, VFIO_DEVICE_FEATURE_MIGRATION.size());
        if (ret != 1) {
            return ret;
        }
        byte[] out = new byte[VFIO_DEVICE_FEATURE_MIGRATION.size()];
        VFIO_DEVICE_FEATURE_MIGRATION.field("flags").put(out, 0, ops.migrationFlags());
        return ctx.copyToUser(data, out, out.length) ? 0 : Errno.EFAULT.ret();
    }

    private static long migDeviceState(KernelCtx ctx, VfioDevice device, int flags, long data, long size) {
        MigrationOps ops = device.driver().migrationOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        int sz = VFIO_DEVICE_FEATURE_MIG_STATE.size();
        long ret = checkFeature(flags, size, DeviceFeature.SET | DeviceFeature.GET, sz);
        if (ret != 1) {
            return ret;
        }
        byte[] mig = ctx.copyFromUser(data, VFIO_DEVICE_FEATURE_MIG_STATE.offsetOfEnd("data_fd"));
        if (mig == null) {
            return Errno.EFAULT.ret();
        }
        var stateField = VFIO_DEVICE_FEATURE_MIG_STATE.field("device_state");
        var fdField = VFIO_DEVICE_FEATURE_MIG_STATE.field("data_fd");
        if ((flags & DeviceFeature.GET) != 0) {
            stateField.put(mig, 0, ops.getState().value());
            return copyOutMigState(ctx, data, mig, 0);
        }
        long requested = stateField.get(mig, 0);
        // an out-of-range value is never a state: the driver's next-step check refuses it
        MigState target = MigState.of(requested).orElse(null);
        MigrationOps.SetStateResult res = target == null
                ? MigrationOps.SetStateResult.error(Errno.EINVAL.ret())
                : ops.setState(ctx, target);
        if (res.isError() || res.file() == null) {
            return copyOutMigState(ctx, data, mig, res.error());
        }
        return returnFd(ctx, data, mig, res.file());
    }

    /** {@code out_copy}: {@code data_fd = -1}, copy back, then report the driver's error if any. */
    private static long copyOutMigState(KernelCtx ctx, long data, byte[] mig, long error) {
        VFIO_DEVICE_FEATURE_MIG_STATE.field("data_fd").put(mig, 0, -1);
        if (!ctx.copyToUser(data, mig, mig.length)) {
            return Errno.EFAULT.ret();
        }
        return error;
    }

    /** {@code vfio_ioct_mig_return_fd}: install the data file; on a copy fault drop it again. */
    private static long returnFd(KernelCtx ctx, long data, byte[] mig, KFile file) {
        long fd = ctx.installFd(file);
        if (fd < 0) {
            file.release(ctx);
            return fd;
        }
        VFIO_DEVICE_FEATURE_MIG_STATE.field("data_fd").put(mig, 0, fd);
        if (!ctx.copyToUser(data, mig, mig.length)) {
            OpenFile f = ctx.process().fdTable().remove((int) fd);
            if (f.put()) {
                file.release(ctx);
            }
            return Errno.EFAULT.ret();
        }
        return 0;
    }

    private static long migDataSize(KernelCtx ctx, VfioDevice device, int flags, long data, long size) {
        MigrationOps ops = device.driver().migrationOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        long ret = checkFeature(flags, size, DeviceFeature.GET, VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.size());
        if (ret != 1) {
            return ret;
        }
        long[] len = new long[1];
        ret = ops.getDataSize(ctx, len);
        if (ret != 0) {
            return ret;
        }
        byte[] out = new byte[VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.size()];
        VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.field("stop_copy_length").put(out, 0, len[0]);
        return ctx.copyToUser(data, out, out.length) ? 0 : Errno.EFAULT.ret();
    }

    private static long loggingStart(KernelCtx ctx, VfioDevice device, int flags, long data, long size) {
        LogOps ops = device.driver().logOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        var layout = VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
        long ret = checkFeature(flags, size, DeviceFeature.SET, layout.size());
        if (ret != 1) {
            return ret;
        }
        byte[] control = ctx.copyFromUser(data, layout.offsetOfEnd("ranges"));
        if (control == null) {
            return Errno.EFAULT.ret();
        }
        long nnodes = layout.field("num_ranges").get(control, 0);
        long pageSize = layout.field("page_size").get(control, 0);
        long rangesPtr = layout.field("ranges").get(control, 0);
        if (nnodes == 0) {
            return Errno.EINVAL.ret();
        }
        if (nnodes > LOG_MAX_RANGES) {
            return Errno.E2BIG.ret();
        }
        var rl = VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
        List<IovaRange> nodes = new ArrayList<>((int) nnodes);
        for (int i = 0; i < nnodes; i++) {
            byte[] range = ctx.copyFromUser(rangesPtr + (long) i * rl.size(), rl.size());
            if (range == null) {
                return Errno.EFAULT.ret();
            }
            long iova = rl.field("iova").get(range, 0);
            long length = rl.field("length").get(range, 0);
            // IS_ALIGNED(x, a) is ((x & (a - 1)) == 0): page_size is not checked for a power of two
            if ((iova & (pageSize - 1)) != 0 || (length & (pageSize - 1)) != 0) {
                return Errno.EINVAL.ret();
            }
            if (Long.compareUnsigned(iova + length, iova) < 0) {
                return Errno.EOVERFLOW.ret();
            }
            IovaRange node = new IovaRange(iova, length);
            for (IovaRange other : nodes) {
                if (other.intersects(node.iova(), node.last())) {
                    return Errno.EINVAL.ret();
                }
            }
            nodes.add(node);
        }
        nodes.sort((a, b) -> Long.compareUnsigned(a.iova(), b.iova()));
        long[] pgsize = {pageSize};
        ret = ops.logStart(ctx, List.copyOf(nodes), pgsize);
        if (ret != 0) {
            return ret;
        }
        layout.field("page_size").put(control, 0, pgsize[0]);
        byte[] whole = new byte[layout.size()];
        System.arraycopy(control, 0, whole, 0, control.length);
        if (!ctx.copyToUser(data, whole, whole.length)) {
            ops.logStop(ctx);
            return Errno.EFAULT.ret();
        }
        return 0;
    }

    private static long loggingStop(KernelCtx ctx, VfioDevice device, int flags, long size) {
        LogOps ops = device.driver().logOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        long ret = checkFeature(flags, size, DeviceFeature.SET, 0);
        if (ret != 1) {
            return ret;
        }
        return ops.logStop(ctx);
    }

    private static long loggingReport(KernelCtx ctx, VfioDevice device, int flags, long data, long size) {
        LogOps ops = device.driver().logOps();
        if (ops == null) {
            return Errno.ENOTTY.ret();
        }
        var layout = VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
        long ret = checkFeature(flags, size, DeviceFeature.GET, layout.size());
        if (ret != 1) {
            return ret;
        }
        byte[] report = ctx.copyFromUser(data, layout.offsetOfEnd("bitmap"));
        if (report == null) {
            return Errno.EFAULT.ret();
        }
        long iova = layout.field("iova").get(report, 0);
        long length = layout.field("length").get(report, 0);
        long pageSize = layout.field("page_size").get(report, 0);
        long bitmap = layout.field("bitmap").get(report, 0);
        if (Long.compareUnsigned(pageSize, 4096) < 0 || Long.bitCount(pageSize) != 1) {
            return Errno.EINVAL.ret();
        }
        if (Long.compareUnsigned(iova + length, iova) < 0) {
            return Errno.EOVERFLOW.ret();
        }
        IovaBitmap iter = new IovaBitmap(ctx.mem(), iova, length, pageSize, bitmap);
        return iter.forEach((it, winIova, winLength) -> ops.logReadAndClear(ctx, winIova, winLength, it));
    }
}
