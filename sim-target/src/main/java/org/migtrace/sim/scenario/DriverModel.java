package org.migtrace.sim.scenario;

import static org.migtrace.sim.scenario.DirtyTracking.DMA_LOGGING;
import static org.migtrace.sim.scenario.DirtyTracking.IOMMU;
import static org.migtrace.sim.scenario.DirtyTracking.NONE;
import static org.migtrace.sim.scenario.DirtyTracking.PAGE_PINNING;
import static org.migtrace.uapi.MigrationFlag.P2P;
import static org.migtrace.uapi.MigrationFlag.PRE_COPY;
import static org.migtrace.uapi.MigrationFlag.STOP_COPY;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.migtrace.uapi.MigrationFlag;

/**
 * The vendor driver behind a device, and what the real driver can do: which migration protocol it
 * speaks, which v2 flags it may advertise, which kinds of dirty tracking it supports, and whether it
 * is an emulated-IOMMU (mdev) device that reaches guest memory by pinning instead of through an IOMMU.
 */
public enum DriverModel implements Labeled {
    /**
     * mlx5 VF ({@code drivers/vfio/pci/mlx5}): {@code STOP_COPY | P2P}, plus {@code PRE_COPY} when the
     * firmware has the multi-load and tracking-state caps ({@code mlx5vf_cmd_set_migratable}); DMA
     * logging when the firmware has {@code adv_virtualization}.
     */
    MLX5_VF(Protocol.V2, false, EnumSet.of(STOP_COPY, P2P, PRE_COPY), EnumSet.of(STOP_COPY, P2P, PRE_COPY),
            EnumSet.of(DMA_LOGGING, IOMMU, NONE), DMA_LOGGING),
    /**
     * HiSilicon accelerator VF ({@code drivers/vfio/pci/hisilicon}): {@code STOP_COPY | PRE_COPY}, no
     * P2P, no log ops: its DMA is seen only by the IOMMU.
     */
    HISI_ACC_VF(Protocol.V2, false, EnumSet.of(STOP_COPY, PRE_COPY), EnumSet.of(STOP_COPY, PRE_COPY),
            EnumSet.of(IOMMU, NONE), IOMMU),
    /**
     * The mtty sample ({@code samples/vfio-mdev/mtty.c}, 6.7+): an mdev serial port with
     * {@code STOP_COPY | P2P | PRE_COPY} and log ops that report nothing, because it never DMAs.
     */
    MTTY(Protocol.V2, true, EnumSet.of(STOP_COPY, P2P, PRE_COPY), EnumSet.of(STOP_COPY, P2P, PRE_COPY),
            EnumSet.of(DMA_LOGGING, NONE), DMA_LOGGING),
    /**
     * An mdev that pins the guest pages it writes ({@code vfio_pin_pages}), as vGPU mdevs do; type1
     * then reports only pinned pages.
     */
    MDEV_PIN(Protocol.V2, true, EnumSet.of(STOP_COPY, P2P, PRE_COPY), EnumSet.of(STOP_COPY, P2P),
            EnumSet.of(PAGE_PINNING, NONE), PAGE_PINNING),
    /** A generic SR-IOV VF variant driver: the v2 flags the scenario gives it, no tracking of its own. */
    PLAIN_VF(Protocol.V2, false, EnumSet.of(STOP_COPY, P2P, PRE_COPY), EnumSet.of(STOP_COPY),
            EnumSet.of(IOMMU, NONE), IOMMU),
    /**
     * An out-of-tree vendor driver with the v1 migration region (no in-tree driver ever implemented
     * v1); its DMA is tracked by type1, all pages or pinned pages.
     */
    V1_VENDOR(Protocol.V1, false, EnumSet.noneOf(MigrationFlag.class), EnumSet.noneOf(MigrationFlag.class),
            EnumSet.of(IOMMU, PAGE_PINNING, NONE), IOMMU);

    private final Protocol protocol;
    private final boolean mdev;
    private final Set<MigrationFlag> supportedFeatures;
    private final Set<MigrationFlag> defaultFeatures;
    private final Set<DirtyTracking> supportedTracking;
    private final DirtyTracking defaultTracking;

    DriverModel(Protocol protocol, boolean mdev, EnumSet<MigrationFlag> supportedFeatures,
                EnumSet<MigrationFlag> defaultFeatures, EnumSet<DirtyTracking> supportedTracking,
                DirtyTracking defaultTracking) {
        this.protocol = protocol;
        this.mdev = mdev;
        this.supportedFeatures = Collections.unmodifiableSet(supportedFeatures);
        this.defaultFeatures = Collections.unmodifiableSet(defaultFeatures);
        this.supportedTracking = Collections.unmodifiableSet(supportedTracking);
        this.defaultTracking = defaultTracking;
    }

    /** The migration protocol the driver speaks. */
    public Protocol protocol() {
        return protocol;
    }

    /** Whether this is an emulated-IOMMU (mdev) device: no IOMMU in front of it, its own IOMMU group. */
    public boolean isMdev() {
        return mdev;
    }

    /** The v2 flags the driver may advertise. */
    public Set<MigrationFlag> supportedFeatures() {
        return supportedFeatures;
    }

    /** The v2 flags the device advertises when the scenario does not say. */
    public EnumSet<MigrationFlag> defaultFeatures() {
        return defaultFeatures.isEmpty() ? EnumSet.noneOf(MigrationFlag.class) : EnumSet.copyOf(defaultFeatures);
    }

    /** The dirty-tracking modes the driver supports. */
    public Set<DirtyTracking> supportedTracking() {
        return supportedTracking;
    }

    /** The dirty tracking used when the scenario does not say. */
    public DirtyTracking defaultTracking() {
        return defaultTracking;
    }

    /** Whether the device ever writes guest memory by DMA (mtty never does). */
    public boolean doesDma() {
        return this != MTTY;
    }

    @Override
    public String toString() {
        return label();
    }
}
