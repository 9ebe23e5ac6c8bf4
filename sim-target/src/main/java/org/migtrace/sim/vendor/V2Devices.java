package org.migtrace.sim.vendor;

import org.migtrace.sim.SimHost;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vendor.VendorDevices;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;

/**
 * Builds simulated devices from a {@link V2DeviceConfig}: vfio-pci core with the model's vendor
 * driver on top, ready to register with a host's VFIO core.
 */
public final class V2Devices {
    private V2Devices() {
    }

    /** The driver for one device (vfio-pci core plus the model's vendor ops). */
    public static PciCore create(V2DeviceConfig config) {
        return VendorDevices.pciCore(config);
    }

    /** Creates the driver and registers the device in IOMMU group {@code groupId} on {@code host}. */
    public static VfioDevice register(SimHost host, String name, int groupId, V2DeviceConfig config) {
        return register(host, name, groupId, config, IommuHw.X86_DIRTY);
    }

    /** As {@link #register(SimHost, String, int, V2DeviceConfig)}, behind {@code iommu}. */
    public static VfioDevice register(SimHost host, String name, int groupId, V2DeviceConfig config, IommuHw iommu) {
        return VfioCore.of(host).register(name, groupId, create(config), iommu);
    }
}
