package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A migration scenario: the guest, the IOMMU, the devices, what writes guest memory, and the
 * migration parameters. Everything a run needs besides the code; with its seed, it decides the run.
 * Written as YAML or JSON (see {@code docs/scenarios.md}) and read by {@link ScenarioLoader}.
 *
 * @param name         short name; required
 * @param description  what the scenario shows; default ""
 * @param seed         the seed every random stream is derived from; default 0
 * @param guest        the guest; required
 * @param iommu        the IOMMU backend and hardware; default {@link IommuSpec#DEFAULT}
 * @param devices      the assigned devices, in the order the VMM adds them; default none
 * @param cpuWorkload  what the vCPUs write (over all guest RAM); default idle
 * @param migration    the migration parameters; default QEMU's
 */
public record Scenario(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("seed") Long seed,
        @JsonProperty("guest") GuestSpec guest,
        @JsonProperty("iommu") IommuSpec iommu,
        @JsonProperty("devices") List<DeviceSpec> devices,
        @JsonProperty("cpu-workload") WorkloadSpec cpuWorkload,
        @JsonProperty("migration") MigrationSpec migration) {

    public Scenario {
        if (name == null || name.isBlank()) {
            throw InvalidFieldException.missing("name");
        }
        if (guest == null) {
            throw InvalidFieldException.missing("guest");
        }
        description = description == null ? "" : description.strip();
        seed = seed == null ? 0L : seed;
        iommu = iommu == null ? IommuSpec.DEFAULT : iommu;
        cpuWorkload = cpuWorkload == null ? WorkloadSpec.IDLE : cpuWorkload;
        migration = migration == null ? MigrationSpec.DEFAULT : migration;
        InvalidFieldException.require(cpuWorkload.range() == null, "cpu-workload.range",
                "a CPU workload covers all guest RAM; range applies to device DMA");
        devices = resolve(devices == null ? List.of() : devices, iommu);
    }

    /** The device named {@code name}. */
    public DeviceSpec device(String deviceName) {
        for (DeviceSpec d : devices) {
            if (d.name().equals(deviceName)) {
                return d;
            }
        }
        throw new IllegalArgumentException("no device " + deviceName + " in scenario " + name);
    }

    /** Assigns default groups and backends, then checks what involves several devices. */
    private static List<DeviceSpec> resolve(List<DeviceSpec> given, IommuSpec iommu) {
        TreeSet<Integer> used = new TreeSet<>();
        for (DeviceSpec d : given) {
            if (d.group() != null) {
                used.add(d.group());
            }
        }
        List<DeviceSpec> out = new ArrayList<>();
        int next = 1;
        for (DeviceSpec d : given) {
            int group;
            if (d.group() != null) {
                group = d.group();
            } else {
                while (used.contains(next)) {
                    next++;
                }
                group = next;
                used.add(group);
            }
            out.add(d.resolved(group, d.iommuBackend() == null ? iommu.backend() : d.iommuBackend()));
        }
        for (int i = 0; i < out.size(); i++) {
            checkDevice(out, i, given.get(i).iommuBackend() != null, iommu);
        }
        checkGroups(out);
        return List.copyOf(out);
    }

    private static void checkDevice(List<DeviceSpec> devices, int i, boolean ownBackend, IommuSpec iommu) {
        DeviceSpec d = devices.get(i);
        String at = "devices[" + i + "]";
        String backendField = ownBackend ? at + ".iommu-backend" : "iommu.backend";
        for (int j = 0; j < i; j++) {
            InvalidFieldException.require(!devices.get(j).name().equals(d.name()), at + ".name",
                    "device " + d.name() + " is listed twice (also devices[" + j + "])");
        }
        boolean iommufd = d.iommuBackend() == IommuBackend.IOMMUFD;
        InvalidFieldException.require(!(iommufd && d.protocol() == Protocol.V1), backendField,
                "protocol v1 devices need type1: v1 was removed in 5.18, IOMMUFD arrived in 6.2");
        InvalidFieldException.require(!(iommufd && d.dirtyTracking() == DirtyTracking.PAGE_PINNING), backendField,
                "page-pinning needs type1: IOMMUFD reports no dirty pages for pinned (emulated-IOMMU) access");
        InvalidFieldException.require(!(iommufd && d.dirtyTracking() == DirtyTracking.IOMMU && !iommu.dirtyTracking()),
                at + ".dirty-tracking", "iommu tracking on iommufd needs IOMMU hardware dirty tracking "
                        + "(iommu.dirty-tracking: true)");
    }

    private static void checkGroups(List<DeviceSpec> devices) {
        Map<Integer, Integer> firstInGroup = new TreeMap<>();
        for (int i = 0; i < devices.size(); i++) {
            DeviceSpec d = devices.get(i);
            Integer j = firstInGroup.putIfAbsent(d.group(), i);
            if (j == null) {
                continue;
            }
            DeviceSpec other = devices.get(j);
            String at = "devices[" + i + "].group";
            // vfio_register_emulated_iommu_dev (drivers/vfio/group.c) gives every mdev a new group.
            InvalidFieldException.require(!d.driver().isMdev() && !other.driver().isMdev(), at,
                    "group " + d.group() + " is shared with devices[" + j + "] (" + other.name()
                            + "), but an mdev always has an IOMMU group of its own");
            // The group is the unit of IOMMU ownership: one container (type1) or one IOMMUFD context.
            InvalidFieldException.require(d.iommuBackend() == other.iommuBackend(), at,
                    "group " + d.group() + " is shared with devices[" + j + "] (" + other.name() + ") on "
                            + other.iommuBackend().label() + ", but this device uses " + d.iommuBackend().label()
                            + "; the devices of one IOMMU group must use one backend");
        }
    }
}
