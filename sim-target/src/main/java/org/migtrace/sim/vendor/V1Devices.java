package org.migtrace.sim.vendor;

import org.migtrace.sim.SimHost;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vendor.v1.V1Vendor;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;

/** Creates v1-migration devices (vfio-pci core plus a {@code VFIO_REGION_TYPE_MIGRATION} region). */
public final class V1Devices {
    private V1Devices() {
    }

    /** Registers a v1 device called {@code name} in IOMMU group {@code groupId} on {@code host}. */
    public static VfioDevice register(SimHost host, String name, int groupId, V1DeviceConfig config) {
        return VfioCore.of(host).register(name, groupId, new PciCore(new V1Vendor(config), config.bar0Size()));
    }
}
