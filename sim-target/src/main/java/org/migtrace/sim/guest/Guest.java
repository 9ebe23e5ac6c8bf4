package org.migtrace.sim.guest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.WorkloadSpec;

/**
 * A running guest: its memory mapped in the VMM, KVM's dirty log, the vCPUs and their workload, and
 * the DMA workloads of devices attached to it. Stepping the guest steps every workload over the
 * same window, CPU first, then devices in the order they were attached.
 */
public final class Guest {
    private final long seed;
    private final GuestMemory memory;
    private final KvmDirtyLog kvm;
    private final GuestCpus cpus;
    private final CpuWorkload cpuWorkload;
    private final List<Workload> workloads = new ArrayList<>();

    private Guest(long seed, GuestMemory memory, WorkloadSpec cpu) {
        this.seed = seed;
        this.memory = memory;
        this.kvm = new KvmDirtyLog(memory);
        this.cpus = new GuestCpus(memory, kvm);
        this.cpuWorkload = new CpuWorkload(cpus, cpu, seed);
        workloads.add(cpuWorkload);
    }

    /** Maps the scenario's guest in {@code vmm}'s process and sets up its CPU workload. */
    public static Guest boot(SimThread vmm, Scenario scenario) {
        return new Guest(scenario.seed(), GuestMemory.map(vmm, scenario.guest()), scenario.cpuWorkload());
    }

    /** A guest over already-mapped {@code memory} with CPU workload {@code cpu}, seeded by {@code seed}. */
    public static Guest of(GuestMemory memory, WorkloadSpec cpu, long seed) {
        return new Guest(seed, memory, cpu);
    }

    public long seed() {
        return seed;
    }

    public GuestMemory memory() {
        return memory;
    }

    public KvmDirtyLog kvm() {
        return kvm;
    }

    public GuestCpus cpus() {
        return cpus;
    }

    public CpuWorkload cpuWorkload() {
        return cpuWorkload;
    }

    /** Adds {@code device}'s DMA workload; it is stepped with the guest from now on. */
    public DmaWorkload attachDma(VfioDevice device, WorkloadSpec spec) {
        DmaWorkload w = new DmaWorkload(device, memory, spec, seed);
        workloads.add(w);
        return w;
    }

    /** Every workload, CPU first. */
    public List<Workload> workloads() {
        return Collections.unmodifiableList(workloads);
    }

    /**
     * Steps every workload over {@code [fromNs, toNs)}.
     *
     * @return page writes issued
     */
    public long advance(long fromNs, long toNs) {
        long n = 0;
        for (Workload w : workloads) {
            n += w.advance(fromNs, toNs);
        }
        return n;
    }
}
