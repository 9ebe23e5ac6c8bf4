package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.guest.DmaWorkload;
import org.migtrace.sim.guest.Guest;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.scenario.DirtyTracking;
import org.migtrace.sim.scenario.IommuBackend;
import org.migtrace.sim.scenario.Protocol;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.WorkloadSpec;
import org.migtrace.sim.vmm.DeviceCalls;

/**
 * One QEMU process ({@code qemu-system-x86}) on a host, started the way QEMU starts: the main
 * thread, one thread per vCPU ({@code CPU n/KVM}), the {@code live_migration} thread; guest RAM
 * mapped ({@link Guest}); then each device realized in order: attached through its container
 * (which connects and maps RAM on first use), {@code VFIO_DEVICE_GET_INFO} and the region infos
 * ({@code vfio_populate_device}), and its migration support ({@link V2Device}, {@link V1Device}).
 * On the source the devices' DMA workloads are attached to the guest, and a page-pinning device is
 * handed its working set.
 */
final class Qemu {
    static final String COMM = "qemu-system-x86";

    private final SimHost host;
    private final SimProcess process;
    private final SimThread main;
    private final SimThread migration;
    private final Guest guest;
    private final Map<IommuBackend, VfioContainer> containers = new LinkedHashMap<>();
    private final List<VmmDevice> devices = new ArrayList<>();
    private final Failure.Latch failures;
    private final boolean source;

    private Qemu(SimHost host, int pid, Scenario scenario, long seed, boolean source, Failure.Latch failures) {
        this.host = host;
        this.process = host.spawn(COMM, pid);
        this.main = process.mainThread();
        int vcpus = scenario.guest().vcpus();
        for (int i = 0; i < vcpus; i++) {
            process.thread(pid + 1 + i, "CPU " + i + "/KVM");
        }
        this.migration = process.thread(pid + 1 + vcpus, "live_migration");
        this.failures = failures;
        this.source = source;
        GuestMemory memory = GuestMemory.map(main, scenario.guest());
        this.guest = Guest.of(memory, source ? scenario.cpuWorkload() : WorkloadSpec.IDLE, seed);
    }

    /**
     * Starts QEMU with {@code scenario}'s guest and devices on {@code host}. A failure on the way
     * (QEMU would exit) is recorded in {@code failures}; the devices realized until then are kept.
     */
    static Qemu start(SimHost host, int pid, Scenario scenario, long seed, boolean source, Failure.Latch failures,
                      boolean switchoverAck) {
        Qemu q = new Qemu(host, pid, scenario, seed, source, failures);
        List<DeviceSpec> specs = scenario.devices();
        for (int i = 0; i < specs.size() && !failures.failed(); i++) {
            q.realize(specs.get(i), i, switchoverAck);
        }
        if (source && !failures.failed()) {
            q.startDeviceDma(specs);
        }
        return q;
    }

    private void realize(DeviceSpec d, int index, boolean switchoverAck) {
        VfioContainer c = containers.computeIfAbsent(d.iommuBackend(), b -> b == IommuBackend.TYPE1
                ? new Type1Container(main, guest.memory(), failures)
                : new IommufdContainer(main, guest.memory(), failures));
        long fd = c.attach(d, index);
        if (fd < 0) {
            return;
        }
        DeviceCalls calls = new DeviceCalls(main, (int) fd);
        DeviceCalls.DeviceInfo info = calls.info();
        for (int r = 0; r < info.numRegions(); r++) {
            calls.regionInfo(r);
        }
        VmmDevice dev = d.protocol() == Protocol.V1
                ? new V1Device(d, (int) fd, source ? migration : main, failures)
                : new V2Device(d, (int) fd, main, migration, failures, switchoverAck);
        c.add(dev);
        devices.add(dev);
    }

    /** Attaches each device's DMA workload; a page-pinning device pins what its DMA will touch. */
    private void startDeviceDma(List<DeviceSpec> specs) {
        VfioCore core = VfioCore.of(host);
        KernelCtx ctx = new KernelCtx(host, process, main);
        for (DeviceSpec d : specs) {
            if (d.dma().isIdle()) {
                continue;
            }
            VfioDevice device = core.device(d.name());
            DmaWorkload w = guest.attachDma(device, d.dma());
            if (d.dirtyTracking() == DirtyTracking.PAGE_PINNING) {
                long ret = device.driver().setWorkingSet(ctx, w.footprint());
                if (ret < 0) {
                    failures.fail(d.name(), "vfio_pin_pages", ret, d.name() + ": the driver could not pin its working set");
                }
            }
        }
    }

    SimHost host() {
        return host;
    }

    SimProcess process() {
        return process;
    }

    SimThread mainThread() {
        return main;
    }

    SimThread migrationThread() {
        return migration;
    }

    Guest guest() {
        return guest;
    }

    List<VmmDevice> devices() {
        return devices;
    }

    List<VfioContainer> containers() {
        return new ArrayList<>(containers.values());
    }
}
