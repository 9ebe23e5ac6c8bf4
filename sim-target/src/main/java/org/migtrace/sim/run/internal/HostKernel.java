package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimHost;
import org.migtrace.sim.internal.iommufd.Iommufd;
import org.migtrace.sim.internal.type1.Type1;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.scenario.IommuBackend;
import org.migtrace.sim.scenario.Scenario;

/**
 * The kernel side of one host of a scenario, without any process on it: the scenario's devices
 * registered with their drivers and IOMMU, then the IOMMU backends they use. What a migration run
 * builds on each host before QEMU starts, and what a replay drives instead of QEMU.
 */
public final class HostKernel {
    private HostKernel() {
    }

    /** Devices first (IOMMUFD makes a cdev for each device registered when it is installed), then backends. */
    public static void install(SimHost host, Scenario scenario, long seed) {
        boolean type1 = false;
        boolean iommufd = false;
        for (DeviceSpec d : scenario.devices()) {
            DeviceConfigs.register(host, d, scenario.iommu(), seed);
            type1 |= d.iommuBackend() == IommuBackend.TYPE1;
            iommufd |= d.iommuBackend() == IommuBackend.IOMMUFD;
        }
        if (type1) {
            Type1.install(host);
        }
        if (iommufd) {
            Iommufd.install(host);
        }
    }
}
