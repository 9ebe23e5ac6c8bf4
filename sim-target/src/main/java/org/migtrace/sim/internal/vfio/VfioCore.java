package org.migtrace.sim.internal.vfio;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.SimHost;

/**
 * The VFIO core of one host ({@code drivers/vfio/vfio_main.c} and {@code group.c}): the registered
 * devices and their IOMMU groups. Installed as a host subsystem; the type1 and IOMMUFD
 * subsystems find devices here.
 */
public final class VfioCore {
    private final SimHost host;
    private final Map<String, VfioDevice> devices = new LinkedHashMap<>();
    private final Map<Integer, VfioGroup> groups = new TreeMap<>();

    private VfioCore(SimHost host) {
        this.host = host;
    }

    /** The host's VFIO core, installing it on first use. */
    public static VfioCore of(SimHost host) {
        return host.subsystem(VfioCore.class).orElseGet(() -> {
            VfioCore core = new VfioCore(host);
            host.install(VfioCore.class, core);
            return core;
        });
    }

    public SimHost host() {
        return host;
    }

    /** Registers a device behind an x86 IOMMU with dirty tracking. */
    public VfioDevice register(String name, int groupId, DeviceDriver driver) {
        return register(name, groupId, driver, IommuHw.X86_DIRTY);
    }

    /** Registers a device in IOMMU group {@code groupId}, bound to {@code driver}, behind {@code iommu}. */
    public VfioDevice register(String name, int groupId, DeviceDriver driver, IommuHw iommu) {
        checkNewDevice(name);
        VfioGroup group = groups.computeIfAbsent(groupId, VfioGroup::new);
        if (group.type() != VfioGroup.Type.IOMMU) {
            throw new IllegalArgumentException("group " + groupId + " is an emulated-IOMMU group");
        }
        return add(name, group, driver, iommu);
    }

    /**
     * Registers a device of an emulated-IOMMU driver ({@code vfio_register_emulated_iommu_dev}): the
     * core gives it a group of its own ({@code vfio_noiommu_group_alloc} with
     * {@code VFIO_EMULATED_IOMMU}), so {@code groupId} must be new. The device has no IOMMU in front
     * of it; it reaches guest memory only through {@link DmaAccess}.
     */
    public VfioDevice registerEmulated(String name, int groupId, DeviceDriver driver) {
        checkNewDevice(name);
        if (groups.containsKey(groupId)) {
            throw new IllegalArgumentException("group " + groupId + " already exists: emulated devices get a group of their own");
        }
        VfioGroup group = new VfioGroup(groupId, VfioGroup.Type.EMULATED_IOMMU);
        groups.put(groupId, group);
        return add(name, group, driver, null);
    }

    private void checkNewDevice(String name) {
        if (devices.containsKey(name)) {
            throw new IllegalArgumentException("device " + name + " is already registered on " + host.name());
        }
    }

    /** {@code vfio_register_group_dev}: the device joins its group and the core, then the driver binds. */
    private VfioDevice add(String name, VfioGroup group, DeviceDriver driver, IommuHw iommu) {
        VfioDevice device = new VfioDevice(host, name, group, driver, iommu);
        group.add(device);
        devices.put(name, device);
        driver.bind(device);
        return device;
    }

    /** The device with this name, or null. */
    public VfioDevice device(String name) {
        return devices.get(name);
    }

    /** All devices, in registration order. */
    public Collection<VfioDevice> devices() {
        return Collections.unmodifiableCollection(devices.values());
    }

    /** The group with this id, or null. */
    public VfioGroup group(int id) {
        return groups.get(id);
    }

    /** All groups, by id. */
    public Collection<VfioGroup> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }
}
