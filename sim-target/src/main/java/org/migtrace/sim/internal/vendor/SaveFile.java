package org.migtrace.sim.internal.vendor;

import static org.migtrace.uapi.Structs.VFIO_PRECOPY_INFO;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;

/**
 * The save side of a session (opened by RUNNING→PRE_COPY, RUNNING_P2P→PRE_COPY_P2P or
 * STOP→STOP_COPY; PRE_COPY(_P2P)→STOP_COPY keeps it). Opened read-only: {@code write(2)} fails
 * with EBADF in the VFS ({@code FMODE_WRITE} is not set). Its only ioctl is
 * {@code VFIO_MIG_GET_PRECOPY_INFO}; the checks before the driver's own ones are the same in mlx5,
 * hisi_acc and mtty ({@code *_precopy_ioctl}): other commands ENOTTY, the 24-byte copy EFAULT,
 * {@code argsz < 24} EINVAL. The struct goes back as the user gave it with only the two sizes
 * replaced, so {@code flags} is echoed (no driver clears it).
 */
final class SaveFile extends MigDataFile {
    private static final int MINSZ = VFIO_PRECOPY_INFO.offsetOfEnd("dirty_bytes");

    private final SaveSource source;
    private final SaveStream stream = new SaveStream();
    /** Stream offset where the initial pre-copy data ends (0 outside pre-copy). */
    private long initialEnd;
    /** The last data is in the stream: reading to its end is EOF. */
    private boolean complete;

    SaveFile(String name, SaveSource source, long bytesPerSecond) {
        super(name, bytesPerSecond);
        this.source = source;
    }

    SaveStream stream() {
        return stream;
    }

    long initialEnd() {
        return initialEnd;
    }

    /** Marks everything in the stream so far as initial pre-copy data. */
    void markInitialEnd() {
        initialEnd = stream.end();
    }

    boolean complete() {
        return complete;
    }

    void markComplete() {
        complete = true;
    }

    /** Unread bytes. */
    long unread() {
        return stream.end() - pos;
    }

    @Override
    public long read(KernelCtx ctx, long buf, long count, long[] ppos) {
        if (disabled()) {
            return Errno.ENODEV.ret();
        }
        if (count == 0) {
            return 0; // the drivers' copy loops never start
        }
        if (unread() == 0) {
            long r = source.endOfData(ctx, this);
            if (r <= 0) {
                return r;
            }
        }
        long n = Math.min(count, unread());
        if (!UserRange.mapped(ctx.mem(), buf, n) || !stream.copyOut(ctx, pos, buf, n)) {
            return Errno.EFAULT.ret();
        }
        pos += n;
        chargeCopy(ctx, n);
        return n;
    }

    @Override
    public boolean writable() {
        return false; // O_RDONLY: anon_inode_getfile(..., O_RDONLY)
    }

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd != Ioctl.VFIO_MIG_GET_PRECOPY_INFO.number()) {
            return Errno.ENOTTY.ret();
        }
        byte[] info = ctx.copyFromUser(arg, MINSZ);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        if (VFIO_PRECOPY_INFO.field("argsz").get(info, 0) < MINSZ) {
            return Errno.EINVAL.ret();
        }
        long[] sizes = new long[2];
        long ret = source.precopyInfo(ctx, this, sizes);
        if (ret != 0) {
            return ret;
        }
        VFIO_PRECOPY_INFO.field("initial_bytes").put(info, 0, sizes[0]);
        VFIO_PRECOPY_INFO.field("dirty_bytes").put(info, 0, sizes[1]);
        return ctx.copyToUser(arg, info, MINSZ) ? 0 : Errno.EFAULT.ret();
    }

    @Override
    protected void onDisable() {
        stream.clear();
        initialEnd = 0;
    }
}
