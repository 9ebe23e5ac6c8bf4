package org.migtrace.sim.internal.kernel;

import java.util.List;
import java.util.function.Predicate;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * What kernel code sees of the current syscall: {@code current} (process and thread), its memory,
 * the host, and the user-copy primitives. Passed explicitly instead of a global {@code current}.
 */
public final class KernelCtx {
    private final SimHost host;
    private final SimProcess process;
    private final SimThread thread;
    private long extraCostNs;

    public KernelCtx(SimHost host, SimProcess process, SimThread thread) {
        this.host = host;
        this.process = process;
        this.thread = thread;
    }

    public SimHost host() {
        return host;
    }

    public SimProcess process() {
        return process;
    }

    public SimThread thread() {
        return thread;
    }

    public UserMemory mem() {
        return process.memory();
    }

    /** Virtual time now. */
    public long nowNs() {
        return host.clock().nanos();
    }

    /** {@code copy_from_user} of {@code len} bytes: a kernel copy, or null when the range faults. */
    public byte[] copyFromUser(long addr, int len) {
        if (!UserMemory.accessOk(addr, len)) {
            return null;
        }
        return process.memory().copyFrom(addr, len);
    }

    /** {@code copy_to_user}: false when the range faults (then nothing was written). */
    public boolean copyToUser(long addr, byte[] src, int len) {
        return UserMemory.accessOk(addr, len) && process.memory().write(addr, src, 0, len);
    }

    /** Installs a new file in the caller's fd table ({@code fd_install}); the fd, or {@code -EMFILE}. */
    public long installFd(KFile file) {
        int fd = process.fdTable().install(new OpenFile(file));
        return fd < 0 ? Errno.EMFILE.ret() : fd;
    }

    /** Charges extra virtual time to this syscall (bulk work such as bitmap copies). */
    public void charge(long ns) {
        if (ns > 0) {
            extraCostNs += ns;
        }
    }

    /** Time charged with {@link #charge(long)} so far. */
    public long extraCostNs() {
        return extraCostNs;
    }

    /** Reports a device state change to the host's observers. */
    public void deviceState(String device, String protocol, int from, int to, String cause) {
        host.emit(new DeviceStateEvent(host.name(), device, nowNs(), protocol, from, to, cause));
    }

    /**
     * The current process's mappings of files that {@code file} accepts (the VMAs whose
     * {@code vm_file} is such a file), in address order: how a driver finds the user's live mmaps
     * of its device, whichever fd created them and even after that fd was closed.
     */
    public List<UserMemory.Region> mappingsOf(Predicate<KFile> file) {
        return process.memory().deviceMappingsWhere(o -> o instanceof KFile f && file.test(f));
    }
}
