package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimHost;
import org.migtrace.sim.guest.Seeds;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.scenario.DirtyTracking;
import org.migtrace.sim.scenario.IommuSpec;
import org.migtrace.sim.scenario.Protocol;
import org.migtrace.sim.scenario.V1DataSection;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1Devices;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.V2Devices;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.uapi.MigrationFlag;

/**
 * Maps a scenario's {@link DeviceSpec} onto the simulated drivers: which vendor model, the flags it
 * advertises, the state-size model, the injected faults, and the IOMMU in front of it. Both hosts
 * get the same devices (a migration needs the same device model on each side).
 */
final class DeviceConfigs {
    /** Size of the v1 migration region's data window, and so of the largest chunk one read gives. */
    static final long V1_DATA_WINDOW = 1L << 20;

    private DeviceConfigs() {
    }

    /** Registers {@code d} with {@code host}'s VFIO core; an mdev gets an emulated-IOMMU group. */
    static VfioDevice register(SimHost host, DeviceSpec d, IommuSpec iommu, long seed) {
        if (d.protocol() == Protocol.V1) {
            return V1Devices.register(host, d.name(), d.group(), v1(d, seed));
        }
        V2DeviceConfig config = v2(d);
        if (d.driver().isMdev()) {
            return VfioCore.of(host).registerEmulated(d.name(), d.group(), V2Devices.create(config));
        }
        return V2Devices.register(host, d.name(), d.group(), config, iommuHw(d, iommu));
    }

    /**
     * The IOMMU in front of a device: the scenario's page sizes, and hardware dirty bits when the
     * scenario's IOMMU has them, unless the device is declared untracked ({@code none}), which the
     * simulation models as an IOMMU without dirty tracking so that nothing reports its writes.
     */
    static IommuHw iommuHw(DeviceSpec d, IommuSpec iommu) {
        return new IommuHw(iommu.dirtyTracking() && d.dirtyTracking() != DirtyTracking.NONE, iommu.pgsizeBitmap());
    }

    static V2DeviceConfig v2(DeviceSpec d) {
        V2DeviceConfig.Builder b = V2DeviceConfig.builder(model(d))
                .migrationFlags(MigrationFlag.mask(d.features()))
                .stopCopyBytes(d.stateSize().bytes())
                .precopyInitialBytes(d.precopyInitial().bytes())
                .dirtyBytesPerSecond(d.stateDirtyRate().bytesPerSecond())
                .dmaLogging(d.dirtyTracking() == DirtyTracking.DMA_LOGGING);
        d.arcFaults().forEach(b::fault);
        return b.build();
    }

    static V1DeviceConfig v1(DeviceSpec d, long seed) {
        boolean mmap = d.v1().dataSection() == V1DataSection.SPARSE_MMAP;
        return V1DeviceConfig.builder()
                .model(d.driver().label())
                .ndma(d.v1().ndma())
                .stopCopyBytes(d.stateSize().bytes())
                .precopyInitialBytes(d.precopyInitial().bytes())
                .dirtyBytesPerSecond(d.stateDirtyRate().bytesPerSecond())
                .maxChunkBytes(V1_DATA_WINDOW)
                .dataWindowBytes(V1_DATA_WINDOW)
                .mmapData(mmap)
                .seed(Seeds.stream(seed, "v1:" + d.name()))
                .build();
    }

    private static VendorModel model(DeviceSpec d) {
        switch (d.driver()) {
            case MLX5_VF: return VendorModel.MLX5_VF;
            case HISI_ACC_VF: return VendorModel.HISI_ACC_VF;
            case MTTY: return VendorModel.MTTY;
            case MDEV_PIN: return VendorModel.MDEV_PIN;
            case PLAIN_VF: return VendorModel.PLAIN_VF;
            default: throw new IllegalArgumentException("driver " + d.driver() + " is not a v2 driver");
        }
    }
}
