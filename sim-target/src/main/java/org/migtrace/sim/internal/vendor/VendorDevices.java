package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.pci.VendorOps;
import org.migtrace.sim.vendor.V2DeviceConfig;

/** Builds the vendor ops of a configured model, under vfio-pci core. */
public final class VendorDevices {
    private VendorDevices() {
    }

    /** The vendor ops for {@code config}. */
    public static VendorOps vendorOps(V2DeviceConfig config) {
        switch (config.model()) {
            case MLX5_VF: return new Mlx5VfDevice(config);
            case HISI_ACC_VF: return new HisiAccVfDevice(config);
            case MTTY: return new MttyDevice(config);
            case MDEV_PIN: return new MdevPinDevice(config);
            // Plain vfio-pci has no migration ops; given flags, the VF has a variant driver that
            // migrates by the uAPI text and tracks nothing itself.
            case PLAIN_VF: return config.migrationFlags() == 0 ? new PlainVf() : new UapiMigrationDevice(config);
            default: throw new IllegalArgumentException("no driver for " + config.model());
        }
    }

    /** vfio-pci core with the model's vendor ops and BAR0. */
    public static PciCore pciCore(V2DeviceConfig config) {
        return new PciCore(vendorOps(config), config.bar0Size());
    }
}
