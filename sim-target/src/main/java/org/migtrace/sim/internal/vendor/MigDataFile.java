package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.FdKind;

/**
 * A migration data file (the anon-inode file a driver returns from a SET that opens a session):
 * a stream ({@code stream_open}, so pread/pwrite fail with ESPIPE in the VFS), with its own file
 * position, that the driver disables when the device leaves the session's states. Disabling
 * resets the position to 0 ({@code filp->f_pos = 0} in every driver's disable function); later
 * reads, writes and ioctls fail with ENODEV.
 *
 * <p>The driver keeps its own reference ({@code get_file} on the way out, {@code fput} when it
 * disables the file), so closing the fd while the session runs changes nothing the driver sees.
 */
abstract class MigDataFile implements KFile {
    private final String name;
    private final long bytesPerSecond;
    private boolean disabled;
    /** {@code filp->f_pos}. */
    protected long pos;

    /** {@code bytesPerSecond}: the virtual time a copy through the file costs (0: free). */
    MigDataFile(String name, long bytesPerSecond) {
        this.name = name;
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public final FdKind kind() {
        return FdKind.MIG_DATA;
    }

    @Override
    public final String objectName() {
        return name;
    }

    @Override
    public final boolean isStream() {
        return true;
    }

    boolean disabled() {
        return disabled;
    }

    /** The file position. */
    long position() {
        return pos;
    }

    /** The driver's {@code *_disable_fd}: no more data, position 0. */
    void disable() {
        disabled = true;
        pos = 0;
        onDisable();
    }

    /** What else disabling drops (the saved bytes, the received bytes). */
    protected abstract void onDisable();

    /** Charges the virtual time a copy of {@code n} bytes through the file takes. */
    protected final void chargeCopy(KernelCtx ctx, long n) {
        if (bytesPerSecond > 0) {
            ctx.charge(Math.max(1, (long) ((double) n * 1e9 / bytesPerSecond)));
        }
    }
}
