package org.migtrace.sim.internal.type1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.sim.internal.type1.Type1Rig.MDEV_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC2_GROUP;
import static org.migtrace.sim.internal.type1.Type1Rig.NIC_GROUP;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.migtrace.sim.vmm.UStruct;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

class GroupIoctlTest {
    private final Type1Rig rig = new Type1Rig();

    @Test
    void everyGroupHasANodeAndOpeningItTwiceIsBusy() {
        assertThat(rig.host.devNodePaths()).contains("/dev/vfio/vfio", "/dev/vfio/12", "/dev/vfio/13", "/dev/vfio/40");
        long fd = rig.calls.openGroup(NIC_GROUP);
        assertThat(fd).isGreaterThanOrEqualTo(3);
        assertThat(rig.calls.openGroup(NIC_GROUP)).isEqualTo(Errno.EBUSY.ret());
        rig.t.close((int) fd);
        assertThat(rig.calls.openGroup(NIC_GROUP)).isGreaterThanOrEqualTo(3);
    }

    @Test
    void statusIsViableAndShowsTheContainerOnceSet() {
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        assertThat(rig.calls.groupStatus(g).flags()).isEqualTo(Structs.VFIO_GROUP_FLAGS_VIABLE);
        int c = (int) rig.calls.openContainer();
        assertThat(rig.calls.setContainer(g, c)).isZero();
        assertThat(rig.calls.groupStatus(g).flags())
                .isEqualTo(Structs.VFIO_GROUP_FLAGS_VIABLE | Structs.VFIO_GROUP_FLAGS_CONTAINER_SET);
    }

    @Test
    void statusChecksArgszAndTheUserPointer() {
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        try (UStruct s = new UStruct(rig.vmm.memory(), Structs.VFIO_GROUP_STATUS)) {
            s.set("argsz", 7);
            assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_GET_STATUS.number(), s.addr())).isEqualTo(Errno.EINVAL.ret());
        }
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_GET_STATUS.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
    }

    @Test
    void setContainerChecksThePointerThenTheFdThenTheGroup() {
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        int c = (int) rig.calls.openContainer();
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_SET_CONTAINER.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.calls.setContainer(g, 999)).isEqualTo(Errno.EBADF.ret());
        int other = (int) rig.calls.openGroup(NIC2_GROUP);
        assertThat(rig.calls.setContainer(g, other)).as("a group fd is no container").isEqualTo(Errno.EBADFD.ret());
        assertThat(rig.calls.setContainer(g, c)).isZero();
        int c2 = (int) rig.calls.openContainer();
        assertThat(rig.calls.setContainer(g, c2)).as("one container at a time").isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.calls.setContainer(g, 999)).as("the fd is looked up first").isEqualTo(Errno.EBADF.ret());
    }

    @Test
    void unsetContainerNeedsOneAndNoOpenDevice() {
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        assertThat(rig.calls.unsetContainer(g)).isEqualTo(Errno.EINVAL.ret());
        int c = (int) rig.calls.openContainer();
        rig.calls.setContainer(g, c);
        rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU);
        int dev = (int) rig.calls.getDeviceFd(g, NIC);
        assertThat(rig.calls.unsetContainer(g)).isEqualTo(Errno.EBUSY.ret());
        rig.t.close(dev);
        assertThat(rig.calls.unsetContainer(g)).isZero();
        assertThat(rig.calls.groupStatus(g).flags()).isEqualTo(Structs.VFIO_GROUP_FLAGS_VIABLE);
    }

    @Test
    void getDeviceFdNeedsAContainerWithItsIommuSet() {
        int g = (int) rig.calls.openGroup(NIC_GROUP);
        assertThat(rig.calls.getDeviceFd(g, NIC)).isEqualTo(Errno.EINVAL.ret());
        int c = (int) rig.calls.openContainer();
        rig.calls.setContainer(g, c);
        assertThat(rig.calls.getDeviceFd(g, NIC)).as("no IOMMU set yet").isEqualTo(Errno.EINVAL.ret());
        rig.calls.setIommu(c, Structs.VFIO_TYPE1v2_IOMMU);
        long dev = rig.calls.getDeviceFd(g, NIC);
        assertThat(dev).isGreaterThanOrEqualTo(3);
        assertThat(rig.nic.openCount()).isEqualTo(1);
        assertThat(rig.calls.getDeviceFd(g, NIC)).as("the group path may open a device again").isGreaterThan(dev);
        assertThat(rig.nic.openCount()).isEqualTo(2);
        try (UStruct info = new UStruct(rig.vmm.memory(), Structs.VFIO_DEVICE_INFO)) {
            info.set("argsz", Structs.VFIO_DEVICE_INFO.size());
            assertThat(rig.t.ioctl((int) dev, Ioctl.VFIO_DEVICE_GET_INFO.number(), info.addr())).isZero();
        }
    }

    @Test
    void getDeviceFdReadsTheNameFromUserMemory() {
        int c = rig.v2(NIC_GROUP);
        int g = rig.groupFds.get(NIC_GROUP);
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_GET_DEVICE_FD.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.calls.getDeviceFd(g, "0000:99:00.0")).isEqualTo(Errno.ENODEV.ret());
        assertThat(rig.calls.getDeviceFd(g, NIC + "x")).as("no vf_token parsing: no match").isEqualTo(Errno.ENODEV.ret());
        long page = rig.vmm.memory().malloc(100);
        byte[] noNul = new byte[100];
        Arrays.fill(noNul, (byte) 'a');
        rig.vmm.memory().write(page, noNul, 0, 100);
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_GET_DEVICE_FD.number(), page))
                .as("no NUL and the buffer ends: the read faults").isEqualTo(Errno.EFAULT.ret());
        long big = rig.vmm.memory().malloc(8192);
        byte[] long8k = new byte[8192];
        Arrays.fill(long8k, (byte) 'a');
        rig.vmm.memory().write(big, long8k, 0, 8192);
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_GROUP_GET_DEVICE_FD.number(), big))
                .as("no NUL within a page").isEqualTo(Errno.EINVAL.ret());
        assertThat(c).isPositive();
    }

    @Test
    void aDeviceFdKeepsTheGroupOpenAfterItsFdIsClosed() {
        int c = rig.v2(NIC_GROUP);
        int g = rig.groupFds.get(NIC_GROUP);
        int dev = rig.deviceFd(rig.nic);
        rig.t.close(g);
        assertThat(rig.calls.openGroup(NIC_GROUP)).as("the device fd holds the group").isEqualTo(Errno.EBUSY.ret());
        assertThat(rig.nic.domain()).isNotNull();
        rig.t.close(dev);
        assertThat(rig.nic.domain()).as("the group left its container").isNull();
        assertThat(rig.calls.openGroup(NIC_GROUP)).isGreaterThanOrEqualTo(3);
        assertThat(rig.calls.getInfo(c).ret()).as("container deprivileged").isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void unknownGroupIoctlIsNotTty() {
        int g = (int) rig.calls.openGroup(MDEV_GROUP);
        assertThat(rig.t.ioctl(g, Ioctl.VFIO_IOMMU_MAP_DMA.number(), 0)).isEqualTo(Errno.ENOTTY.ret());
    }
}
