package org.migtrace.sim.vendor;

import java.util.Locale;
import org.migtrace.uapi.MigrationFlag;

/**
 * The vendor drivers sim-target models behind vfio-pci core, by the name a scenario uses. Each
 * carries the {@code VFIO_MIGRATION_*} flags the real driver advertises on a current kernel.
 */
public enum VendorModel {
    /**
     * mlx5-vfio-pci ({@code drivers/vfio/pci/mlx5}): STOP_COPY|P2P|PRE_COPY
     * ({@code mlx5vf_cmd_set_migratable}), device DMA logging through the firmware page tracker.
     */
    MLX5_VF("mlx5-vf", MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit() | MigrationFlag.PRE_COPY.bit()),
    /**
     * hisi-acc-vfio-pci ({@code drivers/vfio/pci/hisilicon}): STOP_COPY|PRE_COPY
     * ({@code hisi_acc_vfio_pci_migrn_init_dev}), no P2P, no DMA logging (dirty tracking is the IOMMU's).
     */
    HISI_ACC_VF("hisi-acc-vf", MigrationFlag.STOP_COPY.bit() | MigrationFlag.PRE_COPY.bit()),
    /** The mtty sample ({@code samples/vfio-mdev/mtty.c}): all three flags, no-op DMA logging ops. */
    MTTY("mtty", MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit() | MigrationFlag.PRE_COPY.bit()),
    /**
     * A VF bound to plain vfio-pci: no migration ops (the core answers ENOTTY). Given migration
     * flags, a generic variant driver instead, migrating by the uAPI text (as {@link #MDEV_PIN}'s
     * driver does) with no tracking of its own: its DMA is seen only by the IOMMU.
     */
    PLAIN_VF("plain-vf", 0),
    /**
     * An emulated-IOMMU (mdev-style) device, vGPU-like: it pins the guest pages it works on through
     * {@code vfio_pin_pages} and DMAs only to those; its migration driver follows the uAPI text
     * (every arc, ENOMSG at a temporary end of pre-copy data). Flags default to all three.
     */
    MDEV_PIN("mdev-pin", MigrationFlag.STOP_COPY.bit() | MigrationFlag.P2P.bit() | MigrationFlag.PRE_COPY.bit());

    private final String id;
    private final int defaultFlags;

    VendorModel(String id, int defaultFlags) {
        this.id = id;
        this.defaultFlags = defaultFlags;
    }

    /** {@code mlx5-vf}, {@code hisi-acc-vf}, ... */
    public String id() {
        return id;
    }

    /** The {@code VFIO_MIGRATION_*} mask the real driver advertises (0: no migration). */
    public int defaultFlags() {
        return defaultFlags;
    }

    /**
     * The model named {@code name} ({@code mlx5-vf} or {@code MLX5_VF}).
     *
     * @throws IllegalArgumentException naming the known models
     */
    public static VendorModel parse(String name) {
        for (VendorModel m : values()) {
            if (m.id.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name.replace('-', '_'))) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (VendorModel m : values()) {
            known.append(known.length() > 0 ? ", " : "").append(m.id);
        }
        throw new IllegalArgumentException("unknown device model '" + name.toLowerCase(Locale.ROOT)
                + "' (expected one of " + known + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
