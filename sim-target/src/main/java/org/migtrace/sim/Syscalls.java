package org.migtrace.sim;

/**
 * The syscall boundary between a user-space process (the VMM) and the simulated kernel, with the
 * raw Linux return convention: a non-negative result, or {@code -errno}. Pointers are addresses in
 * the calling process's {@link org.migtrace.sim.mem.UserMemory}; struct arguments live there,
 * exactly where a real ioctl would find them.
 */
public interface Syscalls {
    /** {@code openat(AT_FDCWD, path, O_RDWR)}: a new fd, or {@code -ENOENT} for a path no driver serves. */
    long open(String path);

    long close(int fd);

    long ioctl(int fd, long cmd, long arg);

    long read(int fd, long buf, long count);

    long write(int fd, long buf, long count);

    long pread(int fd, long buf, long count, long offset);

    long pwrite(int fd, long buf, long count, long offset);

    /**
     * {@code mmap(NULL, length, prot, flags, fd, offset)}: the mapping's address, or {@code -errno}.
     * With {@link #MAP_ANONYMOUS} the fd is ignored; {@link #MAP_HUGETLB} with a
     * {@code MAP_HUGE_*} size picks the backing page size.
     */
    long mmap(long length, int prot, int flags, int fd, long offset);

    long munmap(long addr, long length);

    int PROT_READ = 1;
    int PROT_WRITE = 2;
    int MAP_SHARED = 0x01;
    int MAP_PRIVATE = 0x02;
    int MAP_ANONYMOUS = 0x20;
    int MAP_HUGETLB = 0x40000;
    int MAP_HUGE_SHIFT = 26;
    int MAP_HUGE_2MB = 21 << MAP_HUGE_SHIFT;
    int MAP_HUGE_1GB = 30 << MAP_HUGE_SHIFT;
}
