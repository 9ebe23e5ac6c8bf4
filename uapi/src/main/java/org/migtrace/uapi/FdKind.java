package org.migtrace.uapi;

/**
 * What a file descriptor refers to. Ioctl numbers are only unique per kind of file:
 * {@code 0x3B75} is {@code VFIO_DEVICE_FEATURE} on a device fd and {@code VFIO_IOMMU_DIRTY_PAGES}
 * on a container fd; {@code 0x3B79} is {@code VFIO_MIG_GET_PRECOPY_INFO} on a migration data fd and
 * {@code VFIO_EEH_PE_OP} on a container.
 */
public enum FdKind {
    /** {@code /dev/vfio/vfio}: a legacy VFIO container (type1 IOMMU backend). */
    CONTAINER,
    /** {@code /dev/vfio/<group>}: a VFIO group. */
    GROUP,
    /** A VFIO device fd, from {@code VFIO_GROUP_GET_DEVICE_FD} or a cdev {@code /dev/vfio/devices/vfioN}. */
    DEVICE,
    /** {@code /dev/iommu}: an IOMMUFD context. */
    IOMMUFD,
    /** A migration data fd returned by {@code VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE}. */
    MIG_DATA,
    /** Any other file. */
    OTHER
}
