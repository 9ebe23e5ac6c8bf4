package org.migtrace.recorder.internal;

import org.migtrace.sim.Sys;
import org.migtrace.sim.SyscallEvent;
import org.migtrace.uapi.FdKind;

/**
 * One syscall as a tracer sees it, whatever traced it: the simulator's observer
 * ({@link #of(SyscallEvent)}) or a capture of a real process (bpftrace). The argument structs are
 * read from a {@link TracedMemory} handed over beside it: as they were at entry, then at exit.
 *
 * @param host   the host, as events name it (null when unknown)
 * @param pid    calling process
 * @param tid    calling thread
 * @param comm   the thread's name
 * @param tsNs   time at entry
 * @param sys    which syscall
 * @param fd     the fd argument (-1 for open)
 * @param fdKind what the fd refers to ({@link FdKind#OTHER} when not known)
 * @param object the kernel object behind the fd ({@code container0}, a device name, {@code <device>/mig-save-1}),
 *               the path for open; null when not known
 * @param cmd    ioctl command; 0 otherwise
 * @param arg    ioctl argument or buffer pointer; 0 when not applicable
 * @param count  read/write/mmap length; 0 when not applicable
 * @param offset pread/pwrite/mmap offset; 0 when not applicable
 */
public record TracedCall(String host, int pid, int tid, String comm, long tsNs, Sys sys, int fd, FdKind fdKind,
                         String object, long cmd, long arg, long count, long offset) {

    /** The call a simulated syscall event describes. */
    public static TracedCall of(SyscallEvent e) {
        return new TracedCall(e.host(), e.pid(), e.tid(), e.comm(), e.tsNs(), e.sys(), e.fd(), e.fdKind(), e.object(),
                e.cmd(), e.arg(), e.count(), e.offset());
    }
}
