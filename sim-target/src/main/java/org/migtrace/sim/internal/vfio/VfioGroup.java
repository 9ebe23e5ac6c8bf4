package org.migtrace.sim.internal.vfio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An IOMMU group ({@code struct vfio_group}): the unit a container attaches. */
public final class VfioGroup {
    private final int id;
    private final List<VfioDevice> devices = new ArrayList<>();

    public VfioGroup(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The devices in the group, in registration order. */
    public List<VfioDevice> devices() {
        return Collections.unmodifiableList(devices);
    }

    void add(VfioDevice device) {
        devices.add(device);
    }
}
