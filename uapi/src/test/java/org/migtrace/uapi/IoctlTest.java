package org.migtrace.uapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IoctlTest {

    @Test
    void numbersAreUnderscoreIoOfSemicolon() {
        assertThat(Ioctl.VFIO_DEVICE_FEATURE.number()).isEqualTo(0x3B75);
        assertThat(Ioctl.VFIO_MIG_GET_PRECOPY_INFO.number()).isEqualTo(0x3B79);
        assertThat(Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP.number()).isEqualTo(0x3B8C);
        assertThat(Ioctl.VFIO_IOMMU_MAP_DMA.number()).isEqualTo(0x3B71);
    }

    @Test
    void sameNumberMeansDifferentIoctlsOnDifferentFiles() {
        assertThat(Ioctl.lookup(FdKind.DEVICE, 0x3B75)).contains(Ioctl.VFIO_DEVICE_FEATURE);
        assertThat(Ioctl.lookup(FdKind.CONTAINER, 0x3B75)).contains(Ioctl.VFIO_IOMMU_DIRTY_PAGES);
        assertThat(Ioctl.lookup(FdKind.MIG_DATA, 0x3B79)).contains(Ioctl.VFIO_MIG_GET_PRECOPY_INFO);
        assertThat(Ioctl.lookup(FdKind.CONTAINER, 0x3B79)).contains(Ioctl.VFIO_EEH_PE_OP);
        assertThat(Ioctl.candidates(0x3B75)).containsExactlyInAnyOrder(Ioctl.VFIO_DEVICE_FEATURE, Ioctl.VFIO_IOMMU_DIRTY_PAGES);
    }

    @Test
    void iommufdForwardsContainerNumbersToVfioCompat() {
        assertThat(Ioctl.lookup(FdKind.IOMMUFD, 0x3B71)).contains(Ioctl.VFIO_IOMMU_MAP_DMA);
        assertThat(Ioctl.lookup(FdKind.IOMMUFD, 0x3B85)).contains(Ioctl.IOMMU_IOAS_MAP);
        assertThat(Ioctl.lookup(FdKind.GROUP, 0x3B85)).isEmpty();
    }

    @Test
    void errnoRoundTripsThroughRawReturnValues() {
        assertThat(Errno.EINVAL.ret()).isEqualTo(-22);
        assertThat(Errno.ofReturn(-22)).contains(Errno.EINVAL);
        assertThat(Errno.ofReturn(-75)).contains(Errno.EOVERFLOW);
        assertThat(Errno.ofReturn(3)).isEmpty();
        assertThat(Errno.describe(-42)).isEqualTo("ENOMSG");
        assertThat(Errno.describe(-200)).isEqualTo("errno 200");
    }
}
