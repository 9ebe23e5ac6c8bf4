package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.migtrace.sim.vendor.ArcFault;
import org.migtrace.uapi.MigrationFlag;

/**
 * One assigned device.
 *
 * @param name            PCI address {@code 0000:3b:00.1}, or an mdev UUID for mdev drivers; required
 * @param group           IOMMU group number; default: a group of its own (the lowest unused number from 1)
 * @param driver          the vendor driver model; required
 * @param protocol        v1 or v2; default (and only choice): the driver's
 * @param features        v2 migration flags (stop-copy, p2p, pre-copy); default: the driver's; empty = not migratable
 * @param dirtyTracking   who reports the pages the device writes; default: the driver's
 * @param iommuBackend    this device's IOMMU backend; default: {@code iommu.backend}
 * @param stateSize       device state size (what STOP_COPY transfers); default 1MiB
 * @param precopyInitial  pre-copy initial bytes ({@code VFIO_MIG_GET_PRECOPY_INFO.initial_bytes}); needs pre-copy; default 0
 * @param stateDirtyRate  how fast the device's internal state changes while it runs (bytes/s); default 0
 * @param dma             the device's DMA writes into guest memory; default none
 * @param v1              v1 options; only for protocol v1
 * @param faults          injected driver arc failures, each {@code FROM>TO:ERRNO[:error][:xN]} as
 *                        {@link ArcFault#parse} reads it; only for protocol v2; default none
 */
public record DeviceSpec(
        @JsonProperty("name") String name,
        @JsonProperty("group") Integer group,
        @JsonProperty("driver") DriverModel driver,
        @JsonProperty("protocol") Protocol protocol,
        @JsonProperty("features") Set<MigrationFlag> features,
        @JsonProperty("dirty-tracking") DirtyTracking dirtyTracking,
        @JsonProperty("iommu-backend") IommuBackend iommuBackend,
        @JsonProperty("state-size") ByteSize stateSize,
        @JsonProperty("precopy-initial") ByteSize precopyInitial,
        @JsonProperty("state-dirty-rate") DataRate stateDirtyRate,
        @JsonProperty("dma") WorkloadSpec dma,
        @JsonProperty("v1") V1Options v1,
        @JsonProperty("faults") List<String> faults) {

    private static final Pattern BDF = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[01][0-9a-fA-F]\\.[0-7]");
    private static final Pattern UUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public DeviceSpec {
        if (name == null) {
            throw InvalidFieldException.missing("name");
        }
        if (driver == null) {
            throw InvalidFieldException.missing("driver");
        }
        checkName(name, driver);
        InvalidFieldException.require(group == null || group >= 0, "group", "must not be negative");
        protocol = protocol == null ? driver.protocol() : protocol;
        InvalidFieldException.require(protocol == driver.protocol(), "protocol",
                "driver " + driver.label() + " speaks " + driver.protocol().label() + ", not " + protocol.label());
        features = checkFeatures(features, driver, protocol);
        dirtyTracking = dirtyTracking == null ? driver.defaultTracking() : dirtyTracking;
        InvalidFieldException.require(driver.supportedTracking().contains(dirtyTracking), "dirty-tracking",
                "driver " + driver.label() + " does not support " + dirtyTracking.label() + " (it supports "
                        + labels(driver.supportedTracking()) + ")");
        stateSize = stateSize == null ? new ByteSize(1L << 20) : stateSize;
        precopyInitial = precopyInitial == null ? ByteSize.ZERO : precopyInitial;
        stateDirtyRate = stateDirtyRate == null ? DataRate.ZERO : stateDirtyRate;
        InvalidFieldException.require(precopyInitial.bytes() == 0 || features.contains(MigrationFlag.PRE_COPY),
                "precopy-initial", "needs the pre-copy feature");
        InvalidFieldException.require(precopyInitial.compareTo(stateSize) <= 0, "precopy-initial",
                precopyInitial + " exceeds state-size " + stateSize);
        dma = dma == null ? WorkloadSpec.IDLE : dma;
        InvalidFieldException.require(dma.isIdle() || driver.doesDma(), "dma",
                "driver " + driver.label() + " never writes guest memory by DMA");
        InvalidFieldException.require(v1 == null || protocol == Protocol.V1, "v1", "applies only to protocol v1");
        v1 = v1 == null ? V1Options.DEFAULT : v1;
        faults = checkFaults(faults, protocol);
    }

    private static List<String> checkFaults(List<String> given, Protocol protocol) {
        if (given == null || given.isEmpty()) {
            return List.of();
        }
        InvalidFieldException.require(protocol == Protocol.V2, "faults",
                "arc faults name v2 states; they apply only to protocol v2");
        for (int i = 0; i < given.size(); i++) {
            InvalidFieldException.require(given.get(i) != null, "faults[" + i + "]", "missing value");
            try {
                ArcFault.parse(given.get(i));
            } catch (IllegalArgumentException e) {
                throw new InvalidFieldException("faults[" + i + "]", e.getMessage());
            }
        }
        return List.copyOf(given);
    }

    /** The injected arc failures, parsed. */
    public List<ArcFault> arcFaults() {
        List<ArcFault> out = new ArrayList<>();
        for (String f : faults) {
            out.add(ArcFault.parse(f));
        }
        return out;
    }

    private static void checkName(String name, DriverModel driver) {
        boolean bdf = BDF.matcher(name).matches();
        boolean uuid = UUID.matcher(name).matches();
        if (driver.isMdev()) {
            InvalidFieldException.require(uuid, "name", "an mdev (" + driver.label()
                    + ") is named by its UUID, e.g. 83b8f4f2-509f-382f-3c1e-e6bfe0fa1001, not '" + name + "'");
        } else if (driver.protocol() == Protocol.V2) {
            InvalidFieldException.require(bdf, "name",
                    "'" + name + "' is not a PCI address domain:bus:device.function such as 0000:3b:00.1");
        } else {
            InvalidFieldException.require(bdf || uuid, "name",
                    "'" + name + "' is neither a PCI address (0000:3b:00.1) nor an mdev UUID");
        }
    }

    private static Set<MigrationFlag> checkFeatures(Set<MigrationFlag> given, DriverModel driver, Protocol protocol) {
        if (protocol == Protocol.V1) {
            InvalidFieldException.require(given == null || given.isEmpty(), "features",
                    "v2 migration flags do not apply to protocol v1");
            return Collections.unmodifiableSet(EnumSet.noneOf(MigrationFlag.class));
        }
        EnumSet<MigrationFlag> f = given == null ? driver.defaultFeatures() : EnumSet.noneOf(MigrationFlag.class);
        if (given != null) {
            f.addAll(given);
        }
        // vfio_pci_core_register_device (drivers/vfio/pci/vfio_pci_core.c) fails with EINVAL when a
        // driver has migration ops but no VFIO_MIGRATION_STOP_COPY.
        InvalidFieldException.require(f.isEmpty() || f.contains(MigrationFlag.STOP_COPY), "features",
                "stop-copy is mandatory: " + labels(f) + " without stop-copy is rejected by the kernel");
        for (MigrationFlag flag : f) {
            InvalidFieldException.require(driver.supportedFeatures().contains(flag), "features",
                    "driver " + driver.label() + " does not support " + label(flag));
        }
        return Collections.unmodifiableSet(f);
    }

    /** Whether the device supports v2 migration (has migration ops). */
    public boolean migratable() {
        return protocol == Protocol.V1 || !features.isEmpty();
    }

    /** Whether the device advertises {@code flag}. */
    public boolean has(MigrationFlag flag) {
        return features.contains(flag);
    }

    /** This device with its group and backend decided (what {@link Scenario} does with defaults). */
    public DeviceSpec resolved(int resolvedGroup, IommuBackend backend) {
        return new DeviceSpec(name, resolvedGroup, driver, protocol, features, dirtyTracking, backend, stateSize,
                precopyInitial, stateDirtyRate, dma, protocol == Protocol.V1 ? v1 : null, faults);
    }

    /** A flag as written in scenario files: {@code stop-copy}, {@code p2p}, {@code pre-copy}. */
    public static String label(MigrationFlag flag) {
        return flag.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static String labels(Set<?> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(v instanceof MigrationFlag f ? label(f) : v.toString());
        }
        return b.toString();
    }
}
