package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.vfio.DeviceDriver;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.internal.vfio.MigrationOps;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * A host with a VMM process, the type1 model installed, and a few devices: two PCI functions in
 * IOMMU groups 12 and 13 (plain vfio-pci, no migration) and an emulated-IOMMU (mdev-style) device
 * in group 40 that pins guest pages and unpins them when told to; group 14 holds a device behind
 * the IOMMU whose driver pins too.
 */
final class Type1Rig {
    static final String NIC = "0000:3b:00.0";
    static final String NIC2 = "0000:3c:00.0";
    static final String MDEV = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001";
    static final int NIC_GROUP = 12;
    static final int NIC2_GROUP = 13;
    static final int MDEV_GROUP = 40;
    static final String PINNER = "0000:5e:00.0";
    static final int PINNER_GROUP = 14;
    static final long PAGE = 4096;
    static final long RW = Structs.VFIO_DMA_MAP_FLAG_READ | Structs.VFIO_DMA_MAP_FLAG_WRITE;

    /** A vendor with nothing to add to vfio-pci core. */
    static final class PlainVendor implements VendorOps {
        @Override
        public String model() {
            return "test-nic";
        }

        @Override
        public boolean dmaAllowed() {
            return true;
        }
    }

    /** An emulated-IOMMU driver: pins through the container and unpins on {@code dma_unmap}. */
    static final class PinningDriver implements DeviceDriver {
        VfioDevice device;
        final TreeMap<Long, Integer> pins = new TreeMap<>(Long::compareUnsigned);
        final List<long[]> unmapNotices = new ArrayList<>();
        boolean unpinOnNotice = true;

        @Override
        public String model() {
            return "test-mdev";
        }

        @Override
        public void bind(VfioDevice device) {
            this.device = device;
        }

        long pin(long iova, int npage, int prot) {
            long ret = device.access().pinPages(device, iova, npage, prot);
            if (ret > 0) {
                for (int i = 0; i < npage; i++) {
                    pins.merge(iova + i * PAGE, 1, Integer::sum);
                }
            }
            return ret;
        }

        void unpin(long iova, int npage) {
            device.access().unpinPages(device, iova, npage);
            for (int i = 0; i < npage; i++) {
                pins.computeIfPresent(iova + i * PAGE, (k, v) -> v == 1 ? null : v - 1);
            }
        }

        @Override
        public boolean hasDmaUnmap() {
            return true;
        }

        @Override
        public void dmaUnmap(KernelCtx ctx, long iova, long length) {
            unmapNotices.add(new long[] {iova, length});
            if (!unpinOnNotice) {
                return;
            }
            for (long p : new ArrayList<>(pins.subMap(iova, true, iova + length - 1, true).keySet())) {
                while (pins.containsKey(p)) {
                    unpin(p, 1);
                }
            }
        }

        @Override
        public long ioctl(KernelCtx ctx, long cmd, long arg) {
            return Errno.ENOTTY.ret();
        }

        @Override
        public long read(KernelCtx ctx, long buf, long count, long[] pos) {
            return Errno.EINVAL.ret();
        }

        @Override
        public long write(KernelCtx ctx, long buf, long count, long[] pos) {
            return Errno.EINVAL.ret();
        }

        @Override
        public long mmap(KernelCtx ctx, long length, int prot, long offset) {
            return Errno.EINVAL.ret();
        }

        @Override
        public MigrationOps migrationOps() {
            return null;
        }

        @Override
        public LogOps logOps() {
            return null;
        }

        @Override
        public boolean dmaAllowed() {
            return true;
        }

        @Override
        public void dmaWritten(KernelCtx ctx, long iova, long length) {
        }
    }

    final SimHost host = new SimHost("src", new SimClock());
    final VfioCore core = VfioCore.of(host);
    final VfioDevice nic = core.register(NIC, NIC_GROUP, new PciCore(new PlainVendor(), 1 << 20));
    final VfioDevice nic2 = core.register(NIC2, NIC2_GROUP, new PciCore(new PlainVendor(), 1 << 20));
    final PinningDriver mdevDriver = new PinningDriver();
    final VfioDevice mdev = core.registerEmulated(MDEV, MDEV_GROUP, mdevDriver);
    /** A device behind a real IOMMU whose driver also uses the pinning API (and so can promote its group). */
    final PinningDriver pinnerDriver = new PinningDriver();
    final VfioDevice pinner = core.register(PINNER, PINNER_GROUP, pinnerDriver);
    final Type1 type1;
    final SimProcess vmm = host.spawn("qemu", 100);
    final SimThread t = vmm.mainThread();
    final ContainerCalls calls = new ContainerCalls(t);

    Type1Rig() {
        this(Type1Options.defaults());
    }

    Type1Rig(Type1Options options) {
        type1 = Type1.install(host, options);
    }

    /** Guest RAM: anonymous memory of {@code bytes}. */
    long ram(long bytes) {
        return vmm.memory().mapAnonymous(bytes, PAGE);
    }

    /** Opens the container and the given groups, sets them into it and sets a type1 IOMMU. */
    int container(long type, int... groups) {
        int c = (int) calls.openContainer();
        for (int g : groups) {
            int fd = (int) calls.openGroup(g);
            check(calls.setContainer(fd, c));
            groupFds.put(g, fd);
        }
        check(calls.setIommu(c, type));
        return c;
    }

    int v2(int... groups) {
        return container(Structs.VFIO_TYPE1v2_IOMMU, groups);
    }

    final TreeMap<Integer, Integer> groupFds = new TreeMap<>();

    /** Opens the device through its group (group fd from {@link #container}). */
    int deviceFd(VfioDevice d) {
        return (int) check(calls.getDeviceFd(groupFds.get(d.group().id()), d.name()));
    }

    static long check(long ret) {
        if (ret < 0) {
            throw new AssertionError("unexpected " + Errno.describe(ret));
        }
        return ret;
    }
}
