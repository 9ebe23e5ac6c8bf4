package org.migtrace.sim;

/** The syscalls the simulated kernel implements (what bpftrace sees at {@code sys_enter_*}). */
public enum Sys {
    OPENAT, CLOSE, IOCTL, READ, WRITE, PREAD64, PWRITE64, MMAP, MUNMAP
}
