package org.migtrace.uapi;

import java.util.Optional;

/**
 * {@code VFIO_DEVICE_FEATURE_*} indexes (the low 16 bits of {@code vfio_device_feature.flags})
 * and the flag bits around them.
 */
public enum DeviceFeature {
    PCI_VF_TOKEN(0),
    MIGRATION(1),
    MIG_DEVICE_STATE(2),
    LOW_POWER_ENTRY(3),
    LOW_POWER_ENTRY_WITH_WAKEUP(4),
    LOW_POWER_EXIT(5),
    DMA_LOGGING_START(6),
    DMA_LOGGING_STOP(7),
    DMA_LOGGING_REPORT(8),
    MIG_DATA_SIZE(9),
    BUS_MASTER(10),
    DMA_BUF(11);

    /** {@code VFIO_DEVICE_FEATURE_MASK}: the feature index. */
    public static final int MASK = 0xFFFF;
    /** {@code VFIO_DEVICE_FEATURE_GET}. */
    public static final int GET = 1 << 16;
    /** {@code VFIO_DEVICE_FEATURE_SET}. */
    public static final int SET = 1 << 17;
    /** {@code VFIO_DEVICE_FEATURE_PROBE}. */
    public static final int PROBE = 1 << 18;

    private final int index;

    DeviceFeature(int index) {
        this.index = index;
    }

    /** The feature index. */
    public int index() {
        return index;
    }

    /** The feature with this index; empty for an index migtrace does not name. */
    private static final DeviceFeature[] ALL = values();

    public static Optional<DeviceFeature> of(long index) {
        for (DeviceFeature f : ALL) {
            if (f.index == index) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
