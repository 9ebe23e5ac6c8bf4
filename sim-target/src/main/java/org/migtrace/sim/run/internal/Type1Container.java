package org.migtrace.sim.run.internal;

import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.guest.MemSlot;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.ContainerCalls;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * The legacy container as QEMU's {@code hw/vfio/container.c} uses it: a group is opened and checked
 * viable ({@code vfio_get_group}); the first group connects a new container
 * ({@code vfio_connect_container}: API version, {@code CHECK_EXTENSION(VFIO_TYPE1v2_IOMMU)},
 * {@code SET_CONTAINER}, {@code SET_IOMMU}, {@code GET_INFO} and its migration capability), after
 * which the memory listener maps every RAM section ({@code MAP_DMA}); later groups join it. Dirty
 * tracking is {@code VFIO_IOMMU_DIRTY_PAGES} START/STOP and GET_BITMAP per section.
 */
final class Type1Container extends VfioContainer {
    private final ContainerCalls calls;
    private final Map<Integer, Integer> groupFds = new TreeMap<>();
    private int container = -1;
    private boolean dirtyPages;

    Type1Container(SimThread main, GuestMemory ram, Failure.Latch failures) {
        super(main, ram, failures);
        this.calls = new ContainerCalls(main);
    }

    @Override
    String backend() {
        return "type1";
    }

    @Override
    long attach(DeviceSpec d, int index) {
        Integer group = groupFds.get(d.group());
        if (group == null) {
            long ret = openGroup(d);
            if (ret < 0) {
                return ret;
            }
            group = (int) ret;
        }
        long fd = calls.getDeviceFd(group, d.name());
        return fd < 0 ? fail(d.name(), "VFIO_GROUP_GET_DEVICE_FD", fd, d.name() + ": error getting device from group") : fd;
    }

    private long openGroup(DeviceSpec d) {
        long g = calls.openGroup(d.group());
        if (g < 0) {
            return fail(d.name(), "open", g, "failed to open /dev/vfio/" + d.group());
        }
        ContainerCalls.GroupStatus st = calls.groupStatus((int) g);
        if (st.ret() < 0 || (st.flags() & Structs.VFIO_GROUP_FLAGS_VIABLE) == 0) {
            return fail(d.name(), "VFIO_GROUP_GET_STATUS", st.ret() < 0 ? st.ret() : Errno.EPERM.ret(),
                    "group " + d.group() + " is not viable");
        }
        long ret = container < 0 ? connect((int) g, d) : calls.setContainer((int) g, container);
        if (ret < 0) {
            return fail(d.name(), "VFIO_GROUP_SET_CONTAINER", ret, "failed to set group container");
        }
        groupFds.put(d.group(), (int) g);
        return g;
    }

    /** {@code vfio_connect_container} for a new container, then the listener's MAP_DMA of RAM. */
    private long connect(int group, DeviceSpec d) {
        long c = calls.openContainer();
        if (c < 0) {
            return c;
        }
        container = (int) c;
        calls.apiVersion(container);
        if (calls.checkExtension(container, Structs.VFIO_TYPE1v2_IOMMU) <= 0) {
            return fail(d.name(), "VFIO_CHECK_EXTENSION", Errno.EINVAL.ret(), "no available IOMMU models");
        }
        long ret = calls.setContainer(group, container);
        if (ret < 0) {
            return ret;
        }
        ret = calls.setIommu(container, Structs.VFIO_TYPE1v2_IOMMU);
        if (ret < 0) {
            return fail(d.name(), "VFIO_SET_IOMMU", ret, "failed to set iommu for container");
        }
        ContainerCalls.Info info = calls.getInfo(container);
        // vfio_get_iommu_info_migration: dirty tracking if the bitmap page sizes include the host page
        dirtyPages = info.ret() == 0 && info.migration() != null
                && (info.migration().pgsizeBitmap() & PAGE_SIZE) != 0;
        for (MemSlot s : ram.slots()) {
            long r = calls.mapDma(container, s.hva(), s.gpa(), s.size());
            if (r < 0) {
                return fail(d.name(), "VFIO_IOMMU_MAP_DMA", r, "vfio_container_dma_map(0x" + Long.toHexString(s.gpa())
                        + ", 0x" + Long.toHexString(s.size()) + ")");
            }
        }
        return 0;
    }

    @Override
    boolean dirtyPagesSupported() {
        return dirtyPages;
    }

    @Override
    long setContainerTracking(SimThread t, boolean start) {
        ContainerCalls c = t == main ? calls : new ContainerCalls(t);
        return start ? c.dirtyStart(container) : c.dirtyStop(container);
    }

    @Override
    long queryContainer(SimThread t, MemSlot slot, long ptr, long bytes) {
        ContainerCalls c = t == main ? calls : new ContainerCalls(t);
        return c.dirtyGet(container, slot.gpa(), slot.size(), PAGE_SIZE, ptr, bytes);
    }
}
