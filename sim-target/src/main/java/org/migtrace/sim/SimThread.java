package org.migtrace.sim;

import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.kernel.OpenFile;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;

/**
 * A thread of a simulated process, and the VFS layer of the simulated kernel: it resolves fds,
 * applies the generic checks ({@code EBADF}, {@code ESPIPE} on streams, file references held by
 * mappings), tells observers at entry and exit, and charges virtual time.
 */
public final class SimThread implements Syscalls {
    /** {@code MAX_RW_COUNT}: the VFS clamps read/write sizes to this. */
    static final long MAX_RW_COUNT = Integer.MAX_VALUE & ~4095L;

    private final SimProcess process;
    private final int tid;
    private final String name;

    SimThread(SimProcess process, int tid, String name) {
        this.process = process;
        this.tid = tid;
        this.name = name;
    }

    public SimProcess process() {
        return process;
    }

    public int tid() {
        return tid;
    }

    public String name() {
        return name;
    }

    private SimHost host() {
        return process.host();
    }

    @Override
    public long open(String path) {
        SyscallEvent e = event(Sys.OPENAT, -1, null, path, 0, 0, 0, 0);
        KernelCtx ctx = enter(e);
        var node = host().devNode(path);
        long ret = node == null ? Errno.ENOENT.ret() : node.open(ctx);
        return exit(e, ctx, ret);
    }

    @Override
    public long close(int fd) {
        OpenFile f = process.fdTable().get(fd);
        SyscallEvent e = event(Sys.CLOSE, fd, f, null, 0, 0, 0, 0);
        KernelCtx ctx = enter(e);
        long ret;
        if (f == null) {
            ret = Errno.EBADF.ret();
        } else {
            process.fdTable().remove(fd);
            if (f.put()) {
                f.file().release(ctx);
            }
            ret = 0;
        }
        return exit(e, ctx, ret);
    }

    @Override
    public long ioctl(int fd, long cmd, long arg) {
        OpenFile f = process.fdTable().get(fd);
        SyscallEvent e = event(Sys.IOCTL, fd, f, null, cmd, arg, 0, 0);
        KernelCtx ctx = enter(e);
        long ret = f == null ? Errno.EBADF.ret() : f.file().ioctl(ctx, cmd & 0xFFFF_FFFFL, arg);
        return exit(e, ctx, ret);
    }

    @Override
    public long read(int fd, long buf, long count) {
        return rw(Sys.READ, fd, buf, count, 0);
    }

    @Override
    public long write(int fd, long buf, long count) {
        return rw(Sys.WRITE, fd, buf, count, 0);
    }

    @Override
    public long pread(int fd, long buf, long count, long offset) {
        return rw(Sys.PREAD64, fd, buf, count, offset);
    }

    @Override
    public long pwrite(int fd, long buf, long count, long offset) {
        return rw(Sys.PWRITE64, fd, buf, count, offset);
    }

    private long rw(Sys sys, int fd, long buf, long count, long offset) {
        OpenFile f = process.fdTable().get(fd);
        SyscallEvent e = event(sys, fd, f, null, 0, buf, count, offset);
        KernelCtx ctx = enter(e);
        return exit(e, ctx, doRw(ctx, sys, f, buf, count, offset));
    }

    /**
     * {@code ksys_read}/{@code ksys_pread64} and {@code vfs_read}/{@code vfs_write}, in their order:
     * a negative pread offset (EINVAL, before the fd is even looked up), EBADF, ESPIPE for a
     * positional call on a stream, the file mode (EBADF), {@code access_ok} of the whole count
     * (EFAULT; a range check only, a mapped buffer is the driver's {@code copy_to_user} business),
     * then the driver with the count clamped to {@code MAX_RW_COUNT}.
     */
    private static long doRw(KernelCtx ctx, Sys sys, OpenFile f, long buf, long count, long offset) {
        boolean positional = sys == Sys.PREAD64 || sys == Sys.PWRITE64;
        if (positional && offset < 0) {
            return Errno.EINVAL.ret();
        }
        if (f == null) {
            return Errno.EBADF.ret();
        }
        if (positional && f.file().isStream()) {
            return Errno.ESPIPE.ret(); // stream_open() clears FMODE_PREAD/FMODE_PWRITE
        }
        boolean isRead = sys == Sys.READ || sys == Sys.PREAD64;
        if (isRead ? !f.file().readable() : !f.file().writable()) {
            return Errno.EBADF.ret();
        }
        if (!UserMemory.accessOk(buf, count)) {
            return Errno.EFAULT.ret(); // a size_t past SSIZE_MAX never passes access_ok either
        }
        long n = Math.min(count, MAX_RW_COUNT);
        long[] pos = positional ? new long[] {offset} : f.pos();
        return isRead ? f.file().read(ctx, buf, n, pos) : f.file().write(ctx, buf, n, pos);
    }

    @Override
    public long mmap(long length, int prot, int flags, int fd, long offset) {
        boolean anon = (flags & MAP_ANONYMOUS) != 0;
        OpenFile f = anon ? null : process.fdTable().get(fd);
        SyscallEvent e = event(Sys.MMAP, anon ? -1 : fd, f, null, flags, 0, length, offset);
        KernelCtx ctx = enter(e);
        return exit(e, ctx, doMmap(ctx, f, anon, length, prot, flags, offset));
    }

    private long doMmap(KernelCtx ctx, OpenFile f, boolean anon, long length, int prot, int flags, long offset) {
        if (length <= 0 || (offset & (UserMemory.PAGE_SIZE - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        if (anon) {
            long pageSize = UserMemory.PAGE_SIZE;
            if ((flags & MAP_HUGETLB) != 0) {
                int shift = (flags >>> MAP_HUGE_SHIFT) & 0x3F;
                pageSize = 1L << (shift == 0 ? 21 : shift);
            }
            long addr = process.memory().mapAnonymous(UserMemory.alignUp(length, pageSize), pageSize);
            return addr < 0 ? Errno.ENOMEM.ret() : addr;
        }
        if (f == null) {
            return Errno.EBADF.ret();
        }
        KFile file = f.file();
        long check = file.mmap(ctx, length, prot, offset);
        if (check < 0) {
            return check;
        }
        long addr = process.memory().mapDevice(length, file, offset, region -> {
            if (f.put()) {
                file.release(ctx);
            }
        });
        if (addr < 0) {
            return Errno.ENOMEM.ret();
        }
        f.get(); // the mapping holds the file, as a VMA does
        return addr;
    }

    @Override
    public long munmap(long addr, long length) {
        SyscallEvent e = event(Sys.MUNMAP, -1, null, null, 0, addr, length, 0);
        KernelCtx ctx = enter(e);
        long ret = (addr & (UserMemory.PAGE_SIZE - 1)) != 0 || length <= 0
                ? Errno.EINVAL.ret()
                : process.memory().unmap(addr, length) ? 0 : Errno.EINVAL.ret();
        return exit(e, ctx, ret);
    }

    private SyscallEvent event(Sys sys, int fd, OpenFile f, String path, long cmd, long arg, long count, long offset) {
        FdKind kind = f == null ? FdKind.OTHER : f.file().kind();
        String object = path != null ? path : f == null ? null : f.file().objectName();
        return new SyscallEvent(host().name(), process.pid(), tid, name, host().clock().nanos(), sys, fd, kind,
                object, cmd, arg, count, offset, process.memory());
    }

    private KernelCtx enter(SyscallEvent e) {
        host().syscallEnter(e);
        return new KernelCtx(host(), process, this);
    }

    private long exit(SyscallEvent e, KernelCtx ctx, long ret) {
        host().clock().advance(host().syscallCostNs() + ctx.extraCostNs());
        host().syscallExit(e, ret);
        return ret;
    }
}
