package org.migtrace.replay.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.replay.spi.ReplayTarget;
import org.migtrace.replay.spi.Stimulus;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.V1State;

/**
 * The reference target: the simulated kernel of sim-target (VFIO core, the vendor drivers, type1,
 * IOMMUFD, device DMA logging), one host per host the trace names, sharing one virtual clock set to
 * each event's recorded time. Each syscall goes through {@link SimThread} of a process standing in
 * for the recorded one, with its argument laid out in that process's memory ({@link IoctlArgs});
 * each memory write by a device goes through {@link VfioDevice#dmaWrite}, as the device's hardware
 * would. Migration data read from a device on one host is what the VMM writes to the device on the
 * other (a wire per device name), since a trace keeps the sizes, not the bytes.
 *
 * <p>Not replayed: the guest's CPU writes (KVM's dirty log is no VFIO interface, and no VFIO outcome
 * depends on them), events of other kinds (they are outcomes or the migration driver's bookkeeping).
 */
final class KernelTarget implements ReplayTarget, SimObserver {
    /** Outcome values that are sizes of a device's migration state. */
    private static final java.util.Set<String> SIZES = java.util.Set.of("initial_bytes", "dirty_bytes",
            "stop_copy_length");

    private final SimClock clock = new SimClock();
    private final Map<String, SimHost> hosts = new TreeMap<>();
    private final Map<String, VmmProcess> processes = new TreeMap<>();
    private final Map<String, ArrayDeque<byte[]>> wires = new TreeMap<>();
    private final List<String> states = new ArrayList<>();
    private final java.util.function.Function<String, Scenario> scenarioOf;
    private final long seed;
    /** Page-pinning devices ({@code host/name}) whose working set is not known yet. */
    private final java.util.Set<String> unpinned;

    /**
     * Whether the devices' migration-state sizes are the recorded run's own (a simulated run's
     * scenario): only then are data-fd transfer sizes, pre-copy and stop-copy sizes and the v1 size
     * registers outcomes of the model; a manifest does not say how big a device's state is.
     */
    private final boolean sizesModelled;
    /** The process of the last syscall, by host and pid. */
    private VmmProcess last;
    private String lastHost;
    private Integer lastPid;

    KernelTarget(java.util.function.Function<String, Scenario> scenarioOf, long seed, java.util.Set<String> pinning,
                 boolean sizesModelled) {
        this.scenarioOf = scenarioOf;
        this.seed = seed;
        this.sizesModelled = sizesModelled;
        this.unpinned = new java.util.TreeSet<>(pinning);
    }

    @Override
    public Outcome apply(Stimulus s) {
        RecordedEvent e = s.event();
        clock.advanceTo(e.tsNs());
        if (s.isWrite()) {
            dmaWrite(s);
            return Outcome.NONE;
        }
        if (!s.isSyscall() || e.host() == null || e.pid() == null) {
            return Outcome.NONE;
        }
        VmmProcess p = process(e);
        int tid = e.tid() == null ? e.pid() : e.tid();
        SimThread t = p.process.thread(tid, e.thread() == null ? p.process.comm() : e.thread());
        states.clear();
        if (!unpinned.isEmpty() && !s.dirtyRuns().isEmpty()) {
            pinWorkingSet(p, e.host(), s.dirtyRuns());
        }
        try {
            Outcome o = call(p, t, e);
            Long ret = o.ret();
            Map<String, String> values = o.values();
            if (!sizesModelled && !values.isEmpty()) {
                values = new TreeMap<>(values);
                values.keySet().removeAll(SIZES);
                values.keySet().removeIf(k -> k.startsWith("register.") && !k.equals("register.device_state"));
            }
            if (!sizesModelled && "MIG_DATA".equals(e.fdKind()) && (e.op().equals("read") || e.op().equals("write"))) {
                ret = null;
            }
            if (states.isEmpty() && ret == o.ret() && values == o.values()) {
                return o; // the common case: nothing to add or leave out
            }
            return new Outcome(ret, states.isEmpty() ? List.of() : List.copyOf(states), o.bitmap(), values);
        } finally {
            p.endCall();
        }
    }

    private Outcome call(VmmProcess p, SimThread t, RecordedEvent e) {
        long recordedRet = e.ret() == null ? 0 : e.ret();
        switch (e.op()) {
            case "openat": {
                long ret = t.open(e.object());
                p.mapFd(recordedRet, ret);
                return plain(ret);
            }
            case "close":
                return plain(t.close(p.fd(e.fd())));
            case "read":
            case "write":
                return readWrite(p, t, e);
            case "pread64":
            case "pwrite64":
                return preadPwrite(p, t, e);
            case "mmap": {
                long flags = e.flags() == null ? 0 : e.flags();
                long length = e.length() == null ? 0 : e.length();
                int fd = (flags & Syscalls.MAP_ANONYMOUS) != 0 ? -1 : p.fd(e.fd());
                long ret = t.mmap(length, Syscalls.PROT_READ | Syscalls.PROT_WRITE, (int) flags, fd,
                        e.offset() == null ? 0 : e.offset());
                if (ret >= 0 && recordedRet >= 0) {
                    p.mapRegion(recordedRet, length, ret);
                    return plain(recordedRet); // an address is no outcome: where the kernel put it differs
                }
                return plain(ret);
            }
            case "munmap": {
                long addr = e.vaddr() == null ? 0 : e.vaddr();
                long length = e.length() == null ? 0 : e.length();
                long ret = t.munmap(p.userAddress(addr, 0), length);
                if (ret == 0) {
                    p.unmapRegion(addr);
                }
                return plain(ret);
            }
            default:
                return ioctl(p, t, e);
        }
    }

    private Outcome ioctl(VmmProcess p, SimThread t, RecordedEvent e) {
        Ioctl ioctl = e.ioctl().orElse(null);
        if (ioctl == null || e.cmd() == null) {
            return Outcome.NONE; // an ioctl no codec names: nothing to re-encode
        }
        IoctlArgs args = new IoctlArgs(p, e, ioctl);
        long arg = args.encode();
        long ret = t.ioctl(p.fd(e.fd()), e.cmd(), arg);
        if (ioctl == Ioctl.VFIO_GROUP_GET_DEVICE_FD && e.ret() != null) {
            p.mapFd(e.ret(), ret);
        }
        Map<String, String> values = args.values(ret);
        if (values.containsKey("data_fd") && e.dataFd() != null) {
            p.mapFd(e.dataFd(), Long.parseLong(values.get("data_fd")));
        }
        return new Outcome(ret, List.of(), args.bitmap(ret), values);
    }

    private Outcome readWrite(VmmProcess p, SimThread t, RecordedEvent e) {
        long count = e.count() == null ? 0 : e.count();
        long buf = p.scratch(count);
        boolean data = "MIG_DATA".equals(e.fdKind());
        if (e.op().equals("write")) {
            if (data) {
                fillFromWire(p, e.device(), buf, count);
            }
            return plain(t.write(p.fd(e.fd()), buf, count));
        }
        long ret = t.read(p.fd(e.fd()), buf, count);
        if (data && ret > 0) {
            wires.computeIfAbsent(String.valueOf(e.device()), d -> new ArrayDeque<>())
                    .add(p.mem().copyFrom(buf, (int) ret));
        }
        return plain(ret);
    }

    private void fillFromWire(VmmProcess p, String device, long buf, long count) {
        ArrayDeque<byte[]> wire = wires.get(String.valueOf(device));
        long done = 0;
        while (wire != null && done < count && !wire.isEmpty()) {
            byte[] head = wire.peek();
            int n = (int) Math.min(head.length, count - done);
            p.mem().write(buf + done, head, 0, n);
            done += n;
            wire.poll();
            if (n < head.length) {
                wire.addFirst(java.util.Arrays.copyOfRange(head, n, head.length));
            }
        }
        if (done < count) {
            p.mem().zero(buf + done, count - done);
        }
    }

    /**
     * v1 migration-region registers (a write carries {@code args.in}, a read is compared by register)
     * and config-space writes (their {@code in.value}).
     */
    private Outcome preadPwrite(VmmProcess p, SimThread t, RecordedEvent e) {
        long count = e.count() == null ? 0 : e.count();
        long offset = e.offset() == null ? 0 : e.offset();
        long buf = p.scratch(Math.max(8, count));
        JsonNode args = Json.parse(e.args());
        String register = args.path("register").asText(null);
        if (e.op().equals("pwrite64")) {
            p.mem().zero(buf, Math.max(8, count));
            if (register != null) {
                p.mem().putLong(buf, Json.num(args.path("in"), register, 0));
            } else if (Json.has(args.path("in"), "value")) {
                p.mem().putLong(buf, Json.num(args.path("in"), "value", 0)); // a config write (a guest's FLR)
            }
            return plain(t.pwrite(p.fd(e.fd()), buf, count, offset));
        }
        long ret = t.pread(p.fd(e.fd()), buf, count, offset);
        TreeMap<String, String> values = new TreeMap<>();
        if (ret > 0 && register != null && count <= 8) {
            long v = p.mem().getLong(buf) & (count >= 8 ? -1L : (1L << (8 * count)) - 1);
            values.put("register." + register, Long.toString(v));
            if (register.equals("device_state")) {
                values.put("to_state", V1State.bits(v));
            }
        }
        return new Outcome(ret, List.of(), null, values);
    }

    private void dmaWrite(Stimulus s) {
        RecordedEvent e = s.event();
        SimHost host = e.host() == null ? null : hosts.get(e.host());
        VmmProcess owner = host == null ? null
                : processes.values().stream().filter(p -> p.process.host() == host).findFirst().orElse(null);
        if (owner != null) {
            DeviceWrites.write(host, owner.process, s);
        }
    }

    private void pinWorkingSet(VmmProcess p, String hostName, List<RecordedDirtyRun> runs) {
        SimHost host = hosts.get(hostName);
        for (var it = unpinned.iterator(); it.hasNext();) {
            String key = it.next();
            if (key.startsWith(hostName + "/")
                    && DeviceWrites.pinWorkingSet(host, p.process, key.substring(hostName.length() + 1), runs)) {
                it.remove();
            }
        }
    }

    private static Outcome plain(long ret) {
        return new Outcome(ret, List.of(), null, Map.of());
    }

    private VmmProcess process(RecordedEvent e) {
        if (last != null && e.pid().equals(lastPid) && e.host().equals(lastHost)) {
            return last; // a VMM's calls come one after another from the same process
        }
        last = newOrKnownProcess(e);
        lastHost = e.host();
        lastPid = e.pid();
        return last;
    }

    private VmmProcess newOrKnownProcess(RecordedEvent e) {
        SimHost host = hosts.computeIfAbsent(e.host(), this::newHost);
        return processes.computeIfAbsent(e.host() + "/" + e.pid(), k -> new VmmProcess(
                host.spawn(e.thread() == null || !e.pid().equals(e.tid()) ? "qemu" : e.thread(), e.pid())));
    }

    private SimHost newHost(String name) {
        SimHost h = new SimHost(name, clock);
        org.migtrace.sim.run.internal.HostKernel.install(h, scenarioOf.apply(name), seed);
        h.addObserver(this);
        return h;
    }

    @Override
    public void deviceState(DeviceStateEvent ev) {
        boolean v1 = "v1".equals(ev.protocol());
        states.add(name(v1, ev.from()) + ">" + name(v1, ev.to()));
    }

    private static String name(boolean v1, int state) {
        return v1 ? V1State.bits(state) : MigState.of(state).map(Enum::name).orElse(Integer.toString(state));
    }
}
