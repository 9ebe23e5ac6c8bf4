package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vfio.IommuDomain;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.V2Devices;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.uapi.MigState;

/**
 * One host with one device opened by a VMM process through a test dev node, the way QEMU holds it:
 * everything a test does goes through {@link #calls} / {@link #thread} (syscalls), plus hardware
 * DMA on {@link #device}. Device-state events are collected.
 */
final class Rig {
    final SimClock clock;
    final SimHost host;
    final VfioDevice device;
    final SimProcess process;
    final SimThread thread;
    final int fd;
    final DeviceCalls calls;
    final List<DeviceStateEvent> events = new ArrayList<>();

    Rig(V2DeviceConfig config) {
        this(config, new SimClock(), "src");
    }

    Rig(V2DeviceConfig config, SimClock clock, String hostName) {
        this.clock = clock;
        this.host = new SimHost(hostName, clock);
        host.setSyscallCostNs(0); // sizes below follow from the test's own sleeps only
        this.device = V2Devices.register(host, "0000:3b:00.1", 12, config);
        host.registerDevNode("/dev/test/dev0", ctx -> VfioDeviceFile.openViaGroup(ctx, device));
        host.addObserver(new SimObserver() {
            @Override
            public void deviceState(DeviceStateEvent e) {
                events.add(e);
            }
        });
        this.process = host.spawn("qemu", 100);
        this.thread = process.mainThread();
        this.fd = (int) thread.open("/dev/test/dev0");
        assertThat(fd).isGreaterThanOrEqualTo(3);
        this.calls = new DeviceCalls(thread, fd);
    }

    /** The vendor ops under vfio-pci core. */
    <T> T vendor(Class<T> type) {
        return type.cast(((PciCore) device.driver()).vendor());
    }

    /** DMA goes to an IOMMU domain that accepts every write. */
    Rig withPassThroughDomain() {
        device.setDomain(new IommuDomain() {
            @Override
            public long dmaWrite(VfioDevice d, long iova, long length) {
                return 0;
            }

            @Override
            public String describe() {
                return "test:identity";
            }
        });
        return this;
    }

    /** Hardware DMA write by the device. */
    void dma(long iova, long length) {
        device.dmaWrite(new org.migtrace.sim.internal.kernel.KernelCtx(host, process, thread), new long[] {iova},
                new long[] {length});
    }

    MigState state() {
        DeviceCalls.MigStateResult r = calls.getState();
        assertThat(r.ret()).isZero();
        return r.state().orElseThrow();
    }

    /** The arcs walked since the last {@link #clearEvents()}, as {@code FROM>TO}. */
    List<String> arcs() {
        List<String> out = new ArrayList<>();
        for (DeviceStateEvent e : events) {
            if (e.cause().equals("arc")) {
                out.add(MigState.of(e.from()).orElseThrow() + ">" + MigState.of(e.to()).orElseThrow());
            }
        }
        return out;
    }

    List<String> causes() {
        List<String> out = new ArrayList<>();
        for (DeviceStateEvent e : events) {
            out.add(e.cause());
        }
        return out;
    }

    void clearEvents() {
        events.clear();
    }

    /** Moves virtual time forward by {@code ms} milliseconds. */
    void sleepMs(long ms) {
        clock.advance(ms * 1_000_000L);
    }

    /** A heap buffer in the VMM. */
    long buffer(long size) {
        return process.memory().malloc(size);
    }

    /** Writes {@code bytes} into a new VMM buffer. */
    long put(byte[] bytes) {
        long b = buffer(Math.max(1, bytes.length));
        process.memory().write(b, bytes, 0, bytes.length);
        return b;
    }

    /** Reads a data fd to its end (0) or first error into fresh memory; returns every byte read. */
    byte[] readAll(int dataFd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        long buf = buffer(4096);
        while (true) {
            long r = thread.read(dataFd, buf, 4096);
            if (r <= 0) {
                return out.toByteArray();
            }
            out.write(process.memory().copyFrom(buf, (int) r), 0, (int) r);
        }
    }
}
