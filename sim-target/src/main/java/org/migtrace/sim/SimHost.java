package org.migtrace.sim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.migtrace.sim.internal.kernel.DevNode;

/**
 * One simulated machine: a kernel (the device nodes its drivers serve and the subsystems behind
 * them), the processes running on it, and the observers watching it. Source and destination of a
 * migration are two hosts sharing one {@link SimClock}.
 */
public final class SimHost {
    private final String name;
    private final SimClock clock;
    private final List<SimObserver> observers = new ArrayList<>();
    private final Map<String, DevNode> devNodes = new TreeMap<>();
    private final Map<Class<?>, Object> subsystems = new LinkedHashMap<>();
    private final Map<Integer, SimProcess> processes = new TreeMap<>();
    private long syscallCostNs = 1_000;

    public SimHost(String name, SimClock clock) {
        this.name = name;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public SimClock clock() {
        return clock;
    }

    /** Virtual time every syscall takes on top of what the kernel code charges (default 1 µs). */
    public long syscallCostNs() {
        return syscallCostNs;
    }

    public void setSyscallCostNs(long ns) {
        if (ns < 0) {
            throw new IllegalArgumentException("negative syscall cost");
        }
        this.syscallCostNs = ns;
    }

    /** Starts a process; its main thread has tid = pid. */
    public SimProcess spawn(String comm, int pid) {
        if (processes.containsKey(pid)) {
            throw new IllegalArgumentException("pid " + pid + " already exists on " + name);
        }
        SimProcess p = new SimProcess(this, pid, comm);
        processes.put(pid, p);
        return p;
    }

    public void addObserver(SimObserver observer) {
        observers.add(observer);
    }

    public void removeObserver(SimObserver observer) {
        observers.remove(observer);
    }

    /** Registers the driver serving {@code path} ({@code /dev/vfio/vfio}, {@code /dev/vfio/12}, ...). */
    public void registerDevNode(String path, DevNode node) {
        if (devNodes.putIfAbsent(path, node) != null) {
            throw new IllegalStateException(path + " is already served on " + name);
        }
    }

    /** The driver serving {@code path}, or null. */
    public DevNode devNode(String path) {
        return devNodes.get(path);
    }

    /** The device node paths this host serves, sorted. */
    public List<String> devNodePaths() {
        return List.copyOf(devNodes.keySet());
    }

    /** Installs a kernel subsystem (VFIO core, type1, IOMMUFD) for other subsystems to find. */
    public <T> void install(Class<T> type, T subsystem) {
        if (subsystems.putIfAbsent(type, subsystem) != null) {
            throw new IllegalStateException(type.getSimpleName() + " is already installed on " + name);
        }
    }

    /** The installed subsystem of this type, if any. */
    public <T> Optional<T> subsystem(Class<T> type) {
        return Optional.ofNullable(type.cast(subsystems.get(type)));
    }

    // ---- observer fan-out

    void syscallEnter(SyscallEvent e) {
        for (SimObserver o : observers) {
            o.syscallEnter(e);
        }
    }

    void syscallExit(SyscallEvent e, long ret) {
        for (SimObserver o : observers) {
            o.syscallExit(e, ret);
        }
    }

    /** Reports a device state change. */
    public void emit(DeviceStateEvent e) {
        for (SimObserver o : observers) {
            o.deviceState(e);
        }
    }

    /** Reports a memory write. */
    public void emit(MemoryWriteEvent e) {
        for (SimObserver o : observers) {
            o.memoryWrite(e);
        }
    }

    /** Reports a step of a migration. */
    public void emit(MigrationEvent e) {
        for (SimObserver o : observers) {
            o.migration(e);
        }
    }

    /** Whether anyone is listening (lets hot paths skip building events). */
    public boolean observed() {
        return !observers.isEmpty();
    }
}
