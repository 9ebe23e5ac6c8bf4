package org.migtrace.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.migtrace.recorder.Recording;
import org.migtrace.recorder.SimRecorder;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.run.internal.HostKernel;
import org.migtrace.sim.scenario.Scenario;
import org.migtrace.sim.scenario.ScenarioException;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.sim.vmm.IommufdCalls;
import org.migtrace.sim.internal.iommufd.Iommufd;
import org.migtrace.trace.TraceWriter;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.Structs;

/**
 * Traces of what QEMU's migration never does but a VMM may. {@link #record}: a VMM driving
 * nic-converges's mlx5 VF (type1, DMA logging) by hand on the source host: device DMA before and
 * under type1 dirty tracking, an unmap that asks for the bitmap, a DMA-logging range whose last page
 * is written, two reports in a row, a request for PRE_COPY from STOP_COPY (EINVAL), a reset, and a
 * guest's FLR through the config space in PRE_COPY.
 * {@link #recordIommufd}: iommufd-hugepages's hisi_acc VF, its huge IOPTEs, and a reset in PRE_COPY.
 * Recorded with the recorder, so they have exactly the rows a capture of such a VMM would have; the
 * manifest names the scenario and its seed, so a replay builds the same kernel.
 */
final class EdgeTrace {
    static final long MIB = 1 << 20;
    static final long RAM = 64 * MIB;
    static final long PAGE = 4096;

    private EdgeTrace() {
    }

    static void record(Path dir) throws IOException, ScenarioException {
        Scenario scenario = ScenarioLoader.builtIn("nic-converges");
        SimHost host = new SimHost("src", new SimClock());
        HostKernel.install(host, scenario, scenario.seed());
        Recording recording = Recording.of(scenario).command("EdgeTrace.record");
        try (TraceWriter writer = TraceWriter.create(dir, recording.manifest())) {
            host.addObserver(new SimRecorder(writer));
            SimProcess qemu = host.spawn("qemu-system-x86", 4242);
            SimThread t = qemu.mainThread();
            VfioDevice hw = VfioCore.of(host).device("0000:3b:00.1");
            KernelCtx dma = new KernelCtx(host, qemu, t);

            long ram = t.mmap(RAM, Syscalls.PROT_READ | Syscalls.PROT_WRITE,
                    Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS, -1, 0);
            ContainerCalls c = new ContainerCalls(t);
            int container = (int) c.openContainer();
            int group = (int) c.openGroup(45);
            c.setContainer(group, container);
            c.setIommu(container, Structs.VFIO_TYPE1v2_IOMMU);
            c.mapDma(container, ram, 0, 8 * MIB);
            c.mapDma(container, ram + 8 * MIB, 8 * MIB, RAM - 8 * MIB);
            DeviceCalls d = new DeviceCalls(t, (int) c.getDeviceFd(group, "0000:3b:00.1"));

            // type1 dirty tracking: writes, a bitmap read, an unmap that asks for the bitmap
            c.dirtyStart(container);
            write(hw, dma, host, new long[] {3, 4, 5, 700, 4095});
            c.dirtyGet(container, 0, 8 * MIB, PAGE);
            write(hw, dma, host, new long[] {7, 2047, 2048});
            c.unmapDmaGetBitmap(container, 0, 8 * MIB, PAGE);
            c.mapDma(container, ram, 0, 8 * MIB);
            // a mapping of 100 pages: its bitmap is 2 u64 words, 13 bytes by the page count
            long small = t.mmap(100 * PAGE, Syscalls.PROT_READ | Syscalls.PROT_WRITE,
                    Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS, -1, 0);
            c.mapDma(container, small, 1L << 30, 100 * PAGE);
            write(hw, dma, host, new long[] {(1L << 30) / PAGE + 99});
            c.dirtyGet(container, 1L << 30, 100 * PAGE, PAGE);
            c.dirtyStop(container);

            // device DMA logging: the range's last page is written; two reports in a row
            d.loggingStart(PAGE, List.of(new DeviceCalls.Range(0, RAM)));
            write(hw, dma, host, new long[] {0, 1, 100, RAM / PAGE - 1});
            d.loggingReport(0, RAM, PAGE);
            write(hw, dma, host, new long[] {2, 200});
            d.loggingReport(0, RAM, PAGE);
            // a report into a bitmap 3000 bytes into its page: its bytes spill into a second page
            write(hw, dma, host, new long[] {5, 9000, 16000});
            long buffer = qemu.memory().malloc(2 * PAGE + RAM / PAGE / 8);
            d.loggingReport(0, RAM, PAGE, buffer + 3000);
            d.loggingStop();

            // the FSM: a blocked arc, then a reset
            DeviceCalls.MigStateResult precopy = d.setState(MigState.PRE_COPY);
            d.precopyInfo(precopy.dataFd());
            d.setState(MigState.STOP_COPY);
            d.setState(MigState.PRE_COPY);
            d.reset();
            d.getState();
            // a guest's FLR through the config space in PRE_COPY: mlx5 goes back to RUNNING
            d.setState(MigState.PRE_COPY);
            d.regionInfo(PciCore.CONFIG);
            long flr = qemu.memory().malloc(2);
            qemu.memory().write(flr, new byte[] {0x00, (byte) (PciCore.DEVCTL_BCR_FLR >>> 8)}, 0, 2);
            t.pwrite(d.fd(), flr, 2, PciCore.indexToOffset(PciCore.CONFIG) + PciCore.EXP_DEVCTL);
            d.getState();
        }
    }

    /**
     * iommufd-hugepages's accelerator VF behind IOMMUFD, 64 GiB of 2 MiB hugetlb RAM mapped with
     * 2 MiB IOPTEs, hardware dirty tracking, a DMA write to the last 2 MiB page, and a
     * GET_DIRTY_BITMAP into a bitmap 8 bytes into its page: the 512 bits of that IOPTE then straddle
     * the 2 MiB-of-bitmap window an iterator pinning from the bitmap's start would use. Then a
     * {@code VFIO_DEVICE_RESET} in PRE_COPY, after which the VMM goes on to STOP_COPY and reads the
     * device's data, as QEMU does when a reset it did not cause happens during pre-copy.
     */
    static void recordIommufd(Path dir) throws IOException, ScenarioException {
        Scenario scenario = ScenarioLoader.builtIn("iommufd-hugepages");
        SimHost host = new SimHost("src", new SimClock());
        HostKernel.install(host, scenario, scenario.seed());
        Recording recording = Recording.of(scenario).command("EdgeTrace.recordIommufd");
        long ram = 64L << 30;
        try (TraceWriter writer = TraceWriter.create(dir, recording.manifest())) {
            host.addObserver(new SimRecorder(writer));
            SimProcess qemu = host.spawn("qemu-system-x86", 4242);
            SimThread t = qemu.mainThread();
            VfioDevice hw = VfioCore.of(host).device("0000:75:00.1");
            KernelCtx dma = new KernelCtx(host, qemu, t);
            long va = t.mmap(ram, Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_PRIVATE
                    | Syscalls.MAP_ANONYMOUS | Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_2MB, -1, 0);
            IommufdCalls iommu = new IommufdCalls(t);
            int iommufd = (int) iommu.open();
            int device = (int) t.open(Iommufd.cdevPath(0));
            long devId = iommu.bind(device, iommufd);
            long ioas = iommu.ioasAlloc(iommufd);
            long hwpt = iommu.hwptAllocDirty(iommufd, devId, ioas);
            iommu.attach(device, hwpt);
            long iova = 4L << 30; // above the MSI window
            iommu.ioasMap(iommufd, ioas, va, ram, iova, null);
            iommu.setDirtyTracking(iommufd, hwpt, true);
            long lastHuge = (iova + ram) / PAGE - 512;
            write(hw, dma, host, new long[] {iova / PAGE + 5, lastHuge + 300});
            long bitmap = iommu.allocBitmap(ram, PAGE, 8);
            iommu.getDirtyBitmap(iommufd, hwpt, iova, ram, PAGE, bitmap, false);
            iommu.setDirtyTracking(iommufd, hwpt, false);

            // a reset in PRE_COPY, then the VMM carries on (libvfio-user #853's sequence): hisi_acc
            // keeps PRE_COPY and its file, so STOP_COPY continues on the open data fd
            DeviceCalls d = new DeviceCalls(t, device);
            DeviceCalls.MigStateResult precopy = d.setState(MigState.PRE_COPY);
            d.precopyInfo(precopy.dataFd());
            d.reset();
            d.getState();
            d.setState(MigState.STOP_COPY);
            d.drain(precopy.dataFd(), qemu.memory().malloc(PAGE), PAGE);
            d.setState(MigState.STOP);
        }
    }

    private static void write(VfioDevice hw, KernelCtx ctx, SimHost host, long[] pages) {
        host.clock().advance(1_000_000);
        long[] starts = new long[pages.length];
        long[] lengths = new long[pages.length];
        for (int i = 0; i < pages.length; i++) {
            starts[i] = pages[i] * PAGE;
            lengths[i] = PAGE;
        }
        hw.dmaWrite(ctx, starts, lengths);
    }
}
