package org.migtrace.sim.vendor;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.uapi.MigrationFlag;

/**
 * How one simulated device behaves: which driver, what it advertises, how big and how busy its
 * migration state is, and the failures to inject. Start from {@link #builder(VendorModel)}; every
 * field has a default.
 *
 * <p><b>State growth model.</b> The device's full state image is {@code stopCopyBytes} (S). A
 * pre-copy session first hands out an initial image of {@code precopyInitialBytes} (I ≤ S; mlx5
 * saves the whole state here, so the default is I = S); the {@code S - I} bytes it did not cover go
 * out with the final STOP_COPY image. While the device is RUNNING or PRE_COPY it dirties
 * {@code dirtyBytesPerSecond} of virtual time, capped at S, counted from the last image the driver
 * cut; P2P and stopped states dirty nothing (the device is quiesced). Sizes therefore depend only on
 * the configuration and the virtual clock. hisi-acc-vf and mtty ignore these three values: their
 * real drivers have fixed-size states ({@code sizeof(struct acc_vf_data)}, {@code struct mtty_data}).
 *
 * @param model               the driver
 * @param migrationFlags      the {@code VFIO_MIGRATION_*} mask to advertise (default: the driver's);
 *                            arcs a driver does not implement for a changed mask fail with EINVAL,
 *                            as the drivers' {@code WARN_ON(true)} fallbacks do
 * @param stopCopyBytes       S, the full device state image
 * @param precopyInitialBytes I, the initial pre-copy image
 * @param dirtyBytesPerSecond how fast a running device changes its state
 * @param streamBytesPerSecond virtual time charged per byte read from or written to a data fd
 *                            (0: free)
 * @param modelId             the device model id written into stream headers (PCI device id), which
 *                            the destination checks
 * @param faults              arc failures to inject
 * @param dmaLogging          whether the device offers DMA logging ops (mlx5: firmware capability
 *                            {@code adv_virtualization}; mtty always registers no-op ones)
 * @param tracker             the mlx5 page tracker's capabilities
 * @param mttyPorts           mtty: 1 or 2 serial ports (60 or 96 bytes of state)
 * @param bar0Size            BAR0 size, a power of two
 */
public record V2DeviceConfig(VendorModel model, int migrationFlags, long stopCopyBytes, long precopyInitialBytes,
                             long dirtyBytesPerSecond, long streamBytesPerSecond, int modelId, List<ArcFault> faults,
                             boolean dmaLogging, TrackerCaps tracker, int mttyPorts, long bar0Size) {

    public V2DeviceConfig {
        if (model == null || tracker == null) {
            throw new IllegalArgumentException("model and tracker are required");
        }
        faults = List.copyOf(faults);
        if (migrationFlags != 0 && (migrationFlags & MigrationFlag.STOP_COPY.bit()) == 0) {
            throw new IllegalArgumentException("STOP_COPY is mandatory: flags " + migrationFlags);
        }
        if ((migrationFlags & ~7) != 0) {
            throw new IllegalArgumentException("unknown migration flag bits " + migrationFlags);
        }
        if (stopCopyBytes < 0 || precopyInitialBytes < 0 || precopyInitialBytes > stopCopyBytes
                || dirtyBytesPerSecond < 0 || streamBytesPerSecond < 0) {
            throw new IllegalArgumentException("need 0 <= precopyInitialBytes <= stopCopyBytes and non-negative rates");
        }
        if (mttyPorts != 1 && mttyPorts != 2) {
            throw new IllegalArgumentException("mtty has 1 or 2 ports, not " + mttyPorts);
        }
        if (bar0Size <= 0 || Long.bitCount(bar0Size) != 1) {
            throw new IllegalArgumentException("BAR0 size must be a power of two: " + bar0Size);
        }
    }

    /** A builder with the defaults of {@code model}. */
    public static Builder builder(VendorModel model) {
        return new Builder(model);
    }

    /** The defaults of {@code model}. */
    public static V2DeviceConfig defaults(VendorModel model) {
        return builder(model).build();
    }

    /** Builds a {@link V2DeviceConfig}. */
    public static final class Builder {
        private final VendorModel model;
        private int migrationFlags;
        private long stopCopyBytes;
        private long precopyInitialBytes = -1;
        private long dirtyBytesPerSecond;
        private long streamBytesPerSecond;
        private int modelId;
        private final List<ArcFault> faults = new ArrayList<>();
        private boolean dmaLogging;
        private TrackerCaps tracker = TrackerCaps.DEFAULT;
        private int mttyPorts = 1;
        private long bar0Size = 1L << 20;

        private Builder(VendorModel model) {
            this.model = model;
            this.migrationFlags = model.defaultFlags();
            switch (model) {
                case MLX5_VF:
                    stopCopyBytes = 8L << 20;
                    dirtyBytesPerSecond = 4L << 20;
                    modelId = 0x101e; // ConnectX Family mlx5Gen Virtual Function
                    dmaLogging = true;
                    bar0Size = 1L << 21;
                    break;
                case HISI_ACC_VF:
                    modelId = 0xa256; // HiSilicon SEC VF
                    break;
                case MDEV_PIN:
                    stopCopyBytes = 512L << 20;
                    dirtyBytesPerSecond = 64L << 20;
                    modelId = 0x2236; // an NVIDIA GPU device id, for a vGPU-like device
                    break;
                case MTTY:
                    dmaLogging = true;
                    break;
                default:
                    break;
            }
        }

        public Builder migrationFlags(int mask) {
            this.migrationFlags = mask;
            return this;
        }

        public Builder stopCopyBytes(long bytes) {
            this.stopCopyBytes = bytes;
            return this;
        }

        /** I; unset means I = S. */
        public Builder precopyInitialBytes(long bytes) {
            this.precopyInitialBytes = bytes;
            return this;
        }

        public Builder dirtyBytesPerSecond(long rate) {
            this.dirtyBytesPerSecond = rate;
            return this;
        }

        public Builder streamBytesPerSecond(long rate) {
            this.streamBytesPerSecond = rate;
            return this;
        }

        public Builder modelId(int id) {
            this.modelId = id;
            return this;
        }

        public Builder fault(ArcFault fault) {
            this.faults.add(fault);
            return this;
        }

        public Builder dmaLogging(boolean on) {
            this.dmaLogging = on;
            return this;
        }

        public Builder tracker(TrackerCaps caps) {
            this.tracker = caps;
            return this;
        }

        public Builder mttyPorts(int ports) {
            this.mttyPorts = ports;
            return this;
        }

        public Builder bar0Size(long size) {
            this.bar0Size = size;
            return this;
        }

        public V2DeviceConfig build() {
            long initial = precopyInitialBytes < 0 ? stopCopyBytes : precopyInitialBytes;
            return new V2DeviceConfig(model, migrationFlags, stopCopyBytes, initial, dirtyBytesPerSecond,
                    streamBytesPerSecond, modelId, faults, dmaLogging, tracker, mttyPorts, bar0Size);
        }
    }
}
