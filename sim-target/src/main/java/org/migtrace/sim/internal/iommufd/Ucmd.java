package org.migtrace.sim.internal.iommufd;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;

/**
 * One IOMMUFD command as {@code iommufd_fops_ioctl} prepared it ({@code struct iommufd_ucmd}):
 * the kernel copy of the user's struct, read with {@code copy_struct_from_user} semantics, and
 * the user's {@code size}.
 */
final class Ucmd {
    private final KernelCtx ctx;
    private final IommufdCtx ictx;
    private final long ubuffer;
    private final long userSize;
    private final StructLayout layout;
    private final byte[] cmd;

    private Ucmd(KernelCtx ctx, IommufdCtx ictx, long ubuffer, long userSize, StructLayout layout, byte[] cmd) {
        this.ctx = ctx;
        this.ictx = ictx;
        this.ubuffer = ubuffer;
        this.userSize = userSize;
        this.layout = layout;
        this.cmd = cmd;
    }

    /**
     * {@code copy_struct_from_user(dst, ksize, src, usize)}: a shorter user struct is zero-extended;
     * a longer one must have only zero bytes past the kernel's struct (E2BIG otherwise; EFAULT if
     * reading them faults). The result is in {@code out[0]}; the return value is 0 or {@code -errno}.
     */
    static long read(KernelCtx ctx, IommufdCtx ictx, long arg, long userSize, StructLayout layout, Ucmd[] out) {
        int ksize = layout.size();
        if (userSize > ksize) {
            long rc = checkZeroedUser(ctx, arg + ksize, userSize - ksize);
            if (rc != 0) {
                return rc;
            }
        }
        int size = (int) Math.min(ksize, userSize);
        byte[] user = ctx.copyFromUser(arg, size);
        if (user == null) {
            return Errno.EFAULT.ret();
        }
        byte[] cmd = new byte[ksize];
        System.arraycopy(user, 0, cmd, 0, size);
        out[0] = new Ucmd(ctx, ictx, arg, userSize, layout, cmd);
        return 0;
    }

    /** {@code check_zeroed_user}: 0 when all zero, E2BIG at the first non-zero byte, EFAULT on a fault. */
    private static long checkZeroedUser(KernelCtx ctx, long from, long size) {
        if (!UserMemory.accessOk(from, size)) {
            return Errno.EFAULT.ret();
        }
        long pos = from;
        long end = from + size;
        while (pos < end) {
            int n = (int) Math.min(end - pos, UserMemory.PAGE_SIZE - (pos & (UserMemory.PAGE_SIZE - 1)));
            byte[] chunk = ctx.copyFromUser(pos, n);
            if (chunk == null) {
                return Errno.EFAULT.ret();
            }
            for (byte b : chunk) {
                if (b != 0) {
                    return Errno.E2BIG.ret();
                }
            }
            pos += n;
        }
        return 0;
    }

    KernelCtx ctx() {
        return ctx;
    }

    /** The user's struct address. */
    long userBuffer() {
        return ubuffer;
    }

    IommufdCtx ictx() {
        return ictx;
    }

    /** A member of the kernel copy (unsigned fields come back zero-extended). */
    long get(String field) {
        return layout.field(field).get(cmd, 0);
    }

    /** Sets a member of the kernel copy (to be copied back by {@link #respond()}). */
    void set(String field, long value) {
        layout.field(field).put(cmd, 0, value);
    }

    /** {@code iommufd_ucmd_respond}: copies the struct back, no more than the user's size. */
    long respond() {
        int n = (int) Math.min(userSize, layout.size());
        return ctx.copyToUser(ubuffer, cmd, n) ? 0 : Errno.EFAULT.ret();
    }
}
