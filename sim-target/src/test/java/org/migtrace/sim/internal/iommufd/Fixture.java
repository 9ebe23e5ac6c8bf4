package org.migtrace.sim.internal.iommufd;

import static org.assertj.core.api.Assertions.assertThat;

import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.vmm.IommufdCalls;

/**
 * A host with IOMMUFD and two PCI functions (dev0 behind a dirty-capable IOMMU, dev1 behind one
 * without), a VMM process, and helpers to reach the usual starting points through syscalls.
 */
final class Fixture {
    static final long MB2 = 1L << 21;

    /** A vendor driver that adds nothing to vfio-pci and may always DMA. */
    static final class PlainVendor implements VendorOps {
        @Override
        public String model() {
            return "test-vf";
        }

        @Override
        public boolean dmaAllowed() {
            return true;
        }
    }

    final SimHost host = new SimHost("src", new SimClock());
    final VfioDevice dev0;
    final VfioDevice dev1;
    final SimProcess qemu;
    final SimThread t;
    final UserMemory mem;
    final IommufdCalls calls;
    int iommufd;
    long ioas;
    int devFd;
    long devId;

    Fixture() {
        VfioCore core = VfioCore.of(host);
        dev0 = core.register("0000:3b:00.1", 12, new PciCore(new PlainVendor(), 1 << 20), IommuHw.X86_DIRTY);
        dev1 = core.register("0000:3c:00.1", 13, new PciCore(new PlainVendor(), 1 << 20), IommuHw.X86_NO_DIRTY);
        Iommufd.install(host);
        qemu = host.spawn("qemu", 100);
        t = qemu.mainThread();
        mem = qemu.memory();
        calls = new IommufdCalls(t);
    }

    /** Opens /dev/iommu, allocates an IOAS, opens and binds dev0's cdev. */
    Fixture bound() {
        iommufd = (int) calls.open();
        ioas = calls.ioasAlloc(iommufd);
        devFd = (int) t.open(Iommufd.cdevPath(0));
        devId = calls.bind(devFd, iommufd);
        assertThat(devId).isPositive();
        return this;
    }

    /** Guest RAM: anonymous memory with 4 KiB pages. */
    long ram(long length) {
        return t.mmap(length, Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS, -1, 0);
    }

    /** Guest RAM on hugetlbfs 2 MiB pages. */
    long hugeRam(long length) {
        return t.mmap(length, Syscalls.PROT_READ | Syscalls.PROT_WRITE,
                Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS | Syscalls.MAP_HUGETLB | Syscalls.MAP_HUGE_2MB, -1, 0);
    }

    /** A dirty-tracking HWPT on the IOAS with dev0 attached to it. */
    long dirtyHwptAttached() {
        long hwpt = calls.hwptAllocDirty(iommufd, devId, ioas);
        assertThat(hwpt).isPositive();
        assertThat(calls.attach(devFd, hwpt)).isEqualTo(hwpt);
        return hwpt;
    }

    /** dev0 writes {@code length} bytes at {@code iova} by DMA; the bytes the IOMMU faulted. */
    long dma(long iova, long length) {
        return dev0.dmaWrite(new KernelCtx(host, qemu, t), new long[] {iova}, new long[] {length});
    }

    /** A zeroed user bitmap for {@code length} bytes at {@code pageSize}, {@code misalign} bytes into its buffer. */
    long bitmap(long length, long pageSize, int misalign) {
        return calls.allocBitmap(length, pageSize, misalign);
    }
}
