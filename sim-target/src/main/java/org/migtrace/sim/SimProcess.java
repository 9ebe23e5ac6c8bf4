package org.migtrace.sim;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.internal.kernel.FdTable;
import org.migtrace.sim.mem.UserMemory;

/** A user-space process on a simulated host (the VMM): its address space, fds and threads. */
public final class SimProcess {
    private final SimHost host;
    private final int pid;
    private final String comm;
    private final UserMemory memory = new UserMemory();
    private final FdTable fdTable = new FdTable();
    private final Map<Integer, SimThread> threads = new TreeMap<>();

    SimProcess(SimHost host, int pid, String comm) {
        this.host = host;
        this.pid = pid;
        this.comm = comm;
    }

    public SimHost host() {
        return host;
    }

    public int pid() {
        return pid;
    }

    public String comm() {
        return comm;
    }

    public UserMemory memory() {
        return memory;
    }

    public FdTable fdTable() {
        return fdTable;
    }

    /** The main thread (tid = pid), named after the process. */
    public SimThread mainThread() {
        return thread(pid, comm);
    }

    /** The thread with this tid, created with {@code name} on first use. */
    public SimThread thread(int tid, String name) {
        return threads.computeIfAbsent(tid, t -> new SimThread(this, t, name));
    }
}
