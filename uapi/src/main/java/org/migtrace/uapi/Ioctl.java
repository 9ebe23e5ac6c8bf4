package org.migtrace.uapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The VFIO and IOMMUFD ioctls, by uAPI name. Every one is {@code _IO(';', nr)}, so the number
 * carries neither size nor direction, and the same number means different ioctls on different
 * kinds of file (see {@link FdKind}); dispatch therefore always keys on (fd kind, number).
 *
 * <p>Numbers from {@code include/uapi/linux/vfio.h} ({@code VFIO_BASE} = 100) and
 * {@code include/uapi/linux/iommufd.h} ({@code IOMMUFD_CMD_BASE} = 0x80).
 */
public enum Ioctl {
    // container (/dev/vfio/vfio); also answered by the IOMMUFD VFIO-compat container
    VFIO_GET_API_VERSION(100, FdKind.CONTAINER),
    VFIO_CHECK_EXTENSION(101, FdKind.CONTAINER),
    VFIO_SET_IOMMU(102, FdKind.CONTAINER),
    VFIO_IOMMU_GET_INFO(112, FdKind.CONTAINER),
    VFIO_IOMMU_MAP_DMA(113, FdKind.CONTAINER),
    VFIO_IOMMU_UNMAP_DMA(114, FdKind.CONTAINER),
    VFIO_IOMMU_ENABLE(115, FdKind.CONTAINER),
    VFIO_IOMMU_DISABLE(116, FdKind.CONTAINER),
    VFIO_IOMMU_DIRTY_PAGES(117, FdKind.CONTAINER),
    VFIO_EEH_PE_OP(121, FdKind.CONTAINER),

    // group (/dev/vfio/N)
    VFIO_GROUP_GET_STATUS(103, FdKind.GROUP),
    VFIO_GROUP_SET_CONTAINER(104, FdKind.GROUP),
    VFIO_GROUP_UNSET_CONTAINER(105, FdKind.GROUP),
    VFIO_GROUP_GET_DEVICE_FD(106, FdKind.GROUP),

    // device
    VFIO_DEVICE_GET_INFO(107, FdKind.DEVICE),
    VFIO_DEVICE_GET_REGION_INFO(108, FdKind.DEVICE),
    VFIO_DEVICE_GET_IRQ_INFO(109, FdKind.DEVICE),
    VFIO_DEVICE_SET_IRQS(110, FdKind.DEVICE),
    VFIO_DEVICE_RESET(111, FdKind.DEVICE),
    VFIO_DEVICE_GET_PCI_HOT_RESET_INFO(112, FdKind.DEVICE),
    VFIO_DEVICE_PCI_HOT_RESET(113, FdKind.DEVICE),
    VFIO_DEVICE_QUERY_GFX_PLANE(114, FdKind.DEVICE),
    VFIO_DEVICE_GET_GFX_DMABUF(115, FdKind.DEVICE),
    VFIO_DEVICE_IOEVENTFD(116, FdKind.DEVICE),
    VFIO_DEVICE_FEATURE(117, FdKind.DEVICE),
    VFIO_DEVICE_BIND_IOMMUFD(118, FdKind.DEVICE),
    VFIO_DEVICE_ATTACH_IOMMUFD_PT(119, FdKind.DEVICE),
    VFIO_DEVICE_DETACH_IOMMUFD_PT(120, FdKind.DEVICE),

    // migration data fd
    VFIO_MIG_GET_PRECOPY_INFO(121, FdKind.MIG_DATA),

    // /dev/iommu
    IOMMU_DESTROY(0x80, FdKind.IOMMUFD),
    IOMMU_IOAS_ALLOC(0x81, FdKind.IOMMUFD),
    IOMMU_IOAS_ALLOW_IOVAS(0x82, FdKind.IOMMUFD),
    IOMMU_IOAS_COPY(0x83, FdKind.IOMMUFD),
    IOMMU_IOAS_IOVA_RANGES(0x84, FdKind.IOMMUFD),
    IOMMU_IOAS_MAP(0x85, FdKind.IOMMUFD),
    IOMMU_IOAS_UNMAP(0x86, FdKind.IOMMUFD),
    IOMMU_OPTION(0x87, FdKind.IOMMUFD),
    IOMMU_VFIO_IOAS(0x88, FdKind.IOMMUFD),
    IOMMU_HWPT_ALLOC(0x89, FdKind.IOMMUFD),
    IOMMU_GET_HW_INFO(0x8A, FdKind.IOMMUFD),
    IOMMU_HWPT_SET_DIRTY_TRACKING(0x8B, FdKind.IOMMUFD),
    IOMMU_HWPT_GET_DIRTY_BITMAP(0x8C, FdKind.IOMMUFD);

    /** {@code VFIO_TYPE} and {@code IOMMUFD_TYPE}: both are {@code ';'}. */
    public static final int TYPE = ';';

    /** {@link #values()} once: lookups run per decoded call, and {@code values()} copies the array each time. */
    private static final Ioctl[] ALL = values();

    private final int nr;
    private final FdKind fdKind;

    Ioctl(int nr, FdKind fdKind) {
        this.nr = nr;
        this.fdKind = fdKind;
    }

    /** The ioctl's {@code nr} field (the low byte). */
    public int nr() {
        return nr;
    }

    /** The kind of file this ioctl is defined on. */
    public FdKind fdKind() {
        return fdKind;
    }

    /** The full command number as passed to {@code ioctl(2)}: {@code _IO(';', nr)}. */
    public long number() {
        return (TYPE << 8) | nr;
    }

    /**
     * The ioctl that {@code cmd} names on a file of this kind. An IOMMUFD fd forwards numbers
     * outside its own table to its VFIO-compat container
     * ({@code drivers/iommu/iommufd/main.c: iommufd_fops_ioctl}), so container names apply there too.
     */
    public static Optional<Ioctl> lookup(FdKind kind, long cmd) {
        for (Ioctl i : ALL) {
            if (i.number() == cmd && i.fdKind == kind) {
                return Optional.of(i);
            }
        }
        if (kind == FdKind.IOMMUFD) {
            return lookup(FdKind.CONTAINER, cmd);
        }
        return Optional.empty();
    }

    /** Every ioctl with this number, whatever the file kind (for fds whose kind is unknown). */
    public static List<Ioctl> candidates(long cmd) {
        List<Ioctl> out = new ArrayList<>(2);
        for (Ioctl i : ALL) {
            if (i.number() == cmd) {
                out.add(i);
            }
        }
        return out;
    }
}
