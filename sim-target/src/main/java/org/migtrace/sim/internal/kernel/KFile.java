package org.migtrace.sim.internal.kernel;

import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;

/**
 * A kernel object behind a file descriptor: the simulated {@code struct file_operations}. Every
 * method returns what the kernel returns, a non-negative result or {@code -errno}; defaults are
 * what the VFS does for a file without that operation.
 */
public interface KFile {
    /** What this file is (ioctl numbers are only unique per kind). */
    FdKind kind();

    /** A stable name for traces and messages: {@code 0000:3b:00.1}, {@code container0}, ... */
    String objectName();

    /**
     * Whether the file is a stream ({@code stream_open}): {@code pread}/{@code pwrite} then fail with
     * {@code ESPIPE} before reaching the driver, and the file position is ignored.
     */
    default boolean isStream() {
        return false;
    }

    /** Whether the file was opened for reading ({@code FMODE_READ}); the VFS answers EBADF otherwise. */
    default boolean readable() {
        return true;
    }

    /** Whether the file was opened for writing ({@code FMODE_WRITE}); the VFS answers EBADF otherwise. */
    default boolean writable() {
        return true;
    }

    default long ioctl(KernelCtx ctx, long cmd, long arg) {
        return Errno.ENOTTY.ret();
    }

    /** {@code read} at {@code pos[0]}, advancing it by the bytes read ({@code ppos} semantics). */
    default long read(KernelCtx ctx, long buf, long count, long[] pos) {
        return Errno.EINVAL.ret();
    }

    /** {@code write} at {@code pos[0]}, advancing it by the bytes written. */
    default long write(KernelCtx ctx, long buf, long count, long[] pos) {
        return Errno.EINVAL.ret();
    }

    /**
     * The driver's {@code mmap} check for {@code length} bytes at file offset {@code offset}: 0 to
     * accept (the VFS then creates the mapping, owned by this file, see
     * {@link KernelCtx#mappingsOf}), or {@code -errno}.
     */
    default long mmap(KernelCtx ctx, long length, int prot, long offset) {
        return Errno.ENODEV.ret();
    }

    /** The last reference went away (fd closed and no mapping left): {@code release}. */
    default void release(KernelCtx ctx) {
    }
}
