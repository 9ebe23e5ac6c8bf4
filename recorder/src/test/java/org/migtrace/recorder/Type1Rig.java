package org.migtrace.recorder;

import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.internal.type1.Type1;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.uapi.Structs;

/**
 * A host with one plain vfio-pci device in IOMMU group 12, the type1 model, a VMM process whose
 * calls a {@link SimRecorder} records into {@link #sink}: for calls the migration driver never makes.
 */
final class Type1Rig {
    static final int GROUP = 12;

    final MemorySink sink = new MemorySink();
    final SimHost host = new SimHost("src", new SimClock());
    final SimProcess vmm;
    final ContainerCalls calls;

    Type1Rig() {
        VfioCore.of(host).register("0000:3b:00.0", GROUP, new PciCore(new VendorOps() {
            @Override
            public String model() {
                return "test-nic";
            }

            @Override
            public boolean dmaAllowed() {
                return true;
            }
        }, 1 << 20));
        Type1.install(host);
        host.addObserver(new SimRecorder(sink));
        vmm = host.spawn("qemu", 100);
        calls = new ContainerCalls(vmm.mainThread());
    }

    /** Anonymous memory of {@code bytes} (not through a syscall: it is not what the test is about). */
    long ram(long bytes) {
        return vmm.memory().mapAnonymous(bytes, 4096);
    }

    /** A type1v2 container with the group in it. */
    int container() {
        int c = (int) calls.openContainer();
        int g = (int) calls.openGroup(GROUP);
        calls.setContainer(g, c);
        calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU);
        return c;
    }
}
