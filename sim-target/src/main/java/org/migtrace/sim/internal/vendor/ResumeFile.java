package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.kernel.KernelCtx;

/**
 * The resume side of a session (opened by STOP→RESUMING). Opened write-only: {@code read(2)}
 * fails with EBADF in the VFS; it has no ioctls (no {@code unlocked_ioctl}: ENOTTY). Writes go to
 * the driver's {@link ResumeSink}, which checks the stream its own way.
 */
final class ResumeFile extends MigDataFile {
    private final ResumeSink sink;
    private final Runnable onDisable;

    ResumeFile(String name, ResumeSink sink, long bytesPerSecond, Runnable onDisable) {
        super(name, bytesPerSecond);
        this.sink = sink;
        this.onDisable = onDisable;
    }

    /** Advances the file position by {@code n} accepted bytes. */
    void advance(long n) {
        pos += n;
    }

    @Override
    public boolean readable() {
        return false; // O_WRONLY: anon_inode_getfile(..., O_WRONLY)
    }

    @Override
    public long write(KernelCtx ctx, long buf, long count, long[] ppos) {
        long ret = sink.write(ctx, this, buf, count);
        if (ret > 0) {
            chargeCopy(ctx, ret);
        }
        return ret;
    }

    @Override
    protected void onDisable() {
        onDisable.run();
    }
}
