package org.migtrace.sim;

import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.FdKind;

/**
 * One syscall as an observer sees it, at entry and again at exit: who issued it, on which file,
 * with which arguments. Struct arguments are read from {@link #memory()} the way bpftrace reads user
 * memory: before the call for inputs, after it for outputs.
 *
 * @param host     the host whose kernel serves the call
 * @param pid      calling process
 * @param tid      calling thread
 * @param comm     the thread's name
 * @param tsNs     virtual time at entry
 * @param sys      which syscall
 * @param fd       the fd argument (-1 for open and anonymous mmap)
 * @param fdKind   what the fd refers to ({@link FdKind#OTHER} if it is not open)
 * @param object   the kernel object behind the fd: device name, {@code container0}, {@code iommufd0},
 *                 {@code 0000:3b:00.1/mig-save-1} for a data fd; the path for open
 * @param cmd      ioctl command; 0 otherwise
 * @param arg      ioctl argument or buffer pointer; 0 when not applicable
 * @param count    read/write/mmap length; 0 when not applicable
 * @param offset   pread/pwrite/mmap offset; 0 when not applicable
 * @param memory   the calling process's memory
 */
public record SyscallEvent(
        String host, int pid, int tid, String comm, long tsNs, Sys sys, int fd, FdKind fdKind, String object,
        long cmd, long arg, long count, long offset, UserMemory memory) {
}
