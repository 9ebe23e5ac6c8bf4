package org.migtrace.sim.run.internal;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.guest.MemSlot;
import org.migtrace.sim.internal.iommufd.Iommufd;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.IommufdCalls;
import org.migtrace.uapi.Structs;

/**
 * An IOMMUFD container as QEMU's {@code hw/vfio/iommufd.c} builds it: {@code /dev/iommu} opened
 * once, each device's cdev opened and bound ({@code VFIO_DEVICE_BIND_IOMMUFD}), one IOAS allocated
 * for the first device, then {@code iommufd_cdev_autodomains_get}: the device's IOMMU capabilities
 * ({@code IOMMU_GET_HW_INFO}); a HWPT allocated with {@code IOMMU_HWPT_ALLOC_DIRTY_TRACKING} when
 * the IOMMU can track dirty pages, unless an existing HWPT with the same flags accepts the device;
 * the device attached to it. An mdev attaches to the IOAS directly (auto domains would fail for
 * it). Once the first device is attached the memory listener maps every RAM section
 * ({@code IOMMU_IOAS_MAP} at the section's guest-physical address). Dirty tracking is
 * {@code IOMMU_HWPT_SET_DIRTY_TRACKING} on every HWPT allocated with it, and
 * {@code IOMMU_HWPT_GET_DIRTY_BITMAP} of each of them into one bitmap per section.
 */
final class IommufdContainer extends VfioContainer {
    /** A HWPT QEMU allocated: its id and allocation flags. */
    private record Hwpt(long id, int flags) {
        boolean dirty() {
            return (flags & Structs.IOMMU_HWPT_ALLOC_DIRTY_TRACKING) != 0;
        }
    }

    private final IommufdCalls calls;
    private final List<Hwpt> hwpts = new ArrayList<>();
    private int iommufd = -1;
    private long ioas = -1;

    IommufdContainer(SimThread main, GuestMemory ram, Failure.Latch failures) {
        super(main, ram, failures);
        this.calls = new IommufdCalls(main);
    }

    @Override
    String backend() {
        return "iommufd";
    }

    @Override
    long attach(DeviceSpec d, int index) {
        if (iommufd < 0) {
            long fd = calls.open();
            if (fd < 0) {
                return fail(d.name(), "open", fd, "failed to open /dev/iommu");
            }
            iommufd = (int) fd;
        }
        String path = Iommufd.cdevPath(index);
        long dev = main.open(path);
        if (dev < 0) {
            return fail(d.name(), "open", dev, "failed to open " + path);
        }
        long devId = calls.bind((int) dev, iommufd);
        if (devId < 0) {
            return fail(d.name(), "VFIO_DEVICE_BIND_IOMMUFD", devId, d.name() + ": error binding to iommufd");
        }
        boolean first = ioas < 0;
        if (first) {
            ioas = calls.ioasAlloc(iommufd);
            if (ioas < 0) {
                return fail(d.name(), "IOMMU_IOAS_ALLOC", ioas, "failed to allocate an IOAS");
            }
        }
        long ret = d.driver().isMdev() ? calls.attach((int) dev, ioas) : autodomains(d, (int) dev, devId);
        if (ret < 0) {
            return fail(d.name(), "VFIO_DEVICE_ATTACH_IOMMUFD_PT", ret, d.name() + ": error attaching to IOAS");
        }
        if (first) {
            for (MemSlot s : ram.slots()) {
                long r = calls.ioasMap(iommufd, ioas, s.hva(), s.size(), s.gpa(), null);
                if (r < 0) {
                    return fail(d.name(), "IOMMU_IOAS_MAP", r, "iommufd_backend_map_dma(0x" + Long.toHexString(s.gpa())
                            + ")");
                }
            }
        }
        return dev;
    }

    /** {@code iommufd_cdev_autodomains_get}: an existing compatible HWPT, or a new one. */
    private long autodomains(DeviceSpec d, int dev, long devId) {
        long caps = calls.hwCapabilities(iommufd, devId);
        int flags = caps >= 0 && (caps & Structs.IOMMU_HW_CAP_DIRTY_TRACKING) != 0
                ? Structs.IOMMU_HWPT_ALLOC_DIRTY_TRACKING : 0;
        for (Hwpt h : hwpts) {
            if (h.flags() == flags && calls.attach(dev, h.id()) >= 0) {
                return h.id();
            }
        }
        long id = calls.hwptAlloc(iommufd, devId, ioas, flags);
        if (id < 0) {
            return fail(d.name(), "IOMMU_HWPT_ALLOC", id, d.name() + ": error allocating a HWPT");
        }
        long ret = calls.attach(dev, id);
        if (ret < 0) {
            calls.destroy(iommufd, id);
            return ret;
        }
        hwpts.add(new Hwpt(id, flags));
        return id;
    }

    @Override
    boolean dirtyPagesSupported() {
        for (Hwpt h : hwpts) {
            if (h.dirty()) {
                return true;
            }
        }
        return false;
    }

    @Override
    long setContainerTracking(SimThread t, boolean start) {
        IommufdCalls c = t == main ? calls : new IommufdCalls(t);
        for (Hwpt h : hwpts) {
            if (h.dirty()) {
                long ret = c.setDirtyTracking(iommufd, h.id(), start);
                if (ret < 0) {
                    return ret;
                }
            }
        }
        return 0;
    }

    @Override
    long queryContainer(SimThread t, MemSlot slot, long ptr, long bytes) {
        IommufdCalls c = t == main ? calls : new IommufdCalls(t);
        for (Hwpt h : hwpts) {
            if (h.dirty()) {
                long ret = c.getDirtyBitmap(iommufd, h.id(), slot.gpa(), slot.size(), PAGE_SIZE, ptr, false);
                if (ret < 0) {
                    return ret;
                }
            }
        }
        return 0;
    }
}
