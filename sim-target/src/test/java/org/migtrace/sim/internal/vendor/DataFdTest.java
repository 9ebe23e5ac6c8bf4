package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.junit.jupiter.api.Test;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.sim.vmm.DeviceCalls.PrecopyInfo;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;

/** The data fd rules: reads, EOF and ENOMSG per driver, ESPIPE, ENODEV, PRECOPY_INFO, MIG_DATA_SIZE. */
class DataFdTest {
    static final int H = RecordFormat.HEADER_SIZE;
    /** The size announcement record. */
    static final int SIZE_REC = H + 8;

    static Rig mlx5(long s, long i, long rate) {
        return new Rig(V2DeviceConfig.builder(VendorModel.MLX5_VF).stopCopyBytes(s).precopyInitialBytes(i)
                .dirtyBytesPerSecond(rate).build());
    }

    static Rig mdev(long s, long i, long rate) {
        return new Rig(V2DeviceConfig.builder(VendorModel.MDEV_PIN).stopCopyBytes(s).precopyInitialBytes(i)
                .dirtyBytesPerSecond(rate).build());
    }

    static int enter(Rig rig, org.migtrace.uapi.MigState s) {
        var r = rig.calls.setState(s);
        assertThat(r.ret()).isZero();
        return r.dataFd();
    }

    @Test
    void mlx5HandsOutInitialDataThenEnomsgUntilPrecopyInfoFetchesTheDirtyState() {
        Rig rig = mlx5(64 << 10, 16 << 10, 1 << 20);
        int fd = enter(rig, PRE_COPY);
        PrecopyInfo info = rig.calls.precopyInfo(fd);
        assertThat(info.ret()).isZero();
        assertThat(info.initialBytes()).isEqualTo(SIZE_REC + H + (16 << 10));
        assertThat(info.dirtyBytes()).isZero();

        assertThat(rig.readAll(fd).length).isEqualTo((int) info.initialBytes());
        long buf = rig.buffer(4096);
        assertThat(rig.thread.read(fd, buf, 4096)).isEqualTo(Errno.ENOMSG.ret());

        rig.sleepMs(10); // 1 MiB/s for 10 ms
        assertThat(rig.thread.read(fd, buf, 4096)).as("mlx5 saves dirty state only on PRECOPY_INFO")
                .isEqualTo(Errno.ENOMSG.ret());
        info = rig.calls.precopyInfo(fd);
        assertThat(info.initialBytes()).isZero();
        assertThat(info.dirtyBytes()).isEqualTo((1 << 20) / 100);
        assertThat(rig.readAll(fd).length).isEqualTo(H + (1 << 20) / 100);
        assertThat(rig.thread.read(fd, buf, 4096)).isEqualTo(Errno.ENOMSG.ret());
    }

    @Test
    void mlx5ReportsInitialAndDirtyBytesNeverTogether() {
        Rig rig = mlx5(64 << 10, 16 << 10, 1 << 20);
        int fd = enter(rig, PRE_COPY);
        rig.sleepMs(10);
        PrecopyInfo info = rig.calls.precopyInfo(fd);
        assertThat(info.initialBytes()).isPositive();
        assertThat(info.dirtyBytes()).isZero();
    }

    @Test
    void inPreCopyP2pMlx5DoesNotAskTheSuspendedDevice() {
        Rig rig = mlx5(64 << 10, 16 << 10, 1 << 20);
        int fd = enter(rig, PRE_COPY);
        rig.readAll(fd);
        rig.sleepMs(10);
        assertThat(rig.calls.setState(PRE_COPY_P2P).ret()).isZero();
        PrecopyInfo info = rig.calls.precopyInfo(fd);
        assertThat(info.ret()).isZero();
        assertThat(info.dirtyBytes()).isZero();
    }

    @Test
    void mdevPinCutsNewDirtyDataWhenAReaderReachesTheEnd() {
        Rig rig = mdev(64 << 10, 64 << 10, 1 << 20);
        int fd = enter(rig, PRE_COPY);
        rig.readAll(fd);
        long buf = rig.buffer(4096);
        assertThat(rig.thread.read(fd, buf, 4096)).isEqualTo(Errno.ENOMSG.ret());
        rig.sleepMs(10);
        PrecopyInfo info = rig.calls.precopyInfo(fd);
        assertThat(info.dirtyBytes()).isEqualTo(H + (1 << 20) / 100);
        assertThat(rig.readAll(fd).length).isEqualTo(H + (1 << 20) / 100);
        assertThat(rig.thread.read(fd, buf, 4096)).isEqualTo(Errno.ENOMSG.ret());
    }

    @Test
    void mttyAndHisiReturnZeroAtTheEndOfPreCopyDataInsteadOfEnomsg() {
        Rig mtty = new Rig(V2DeviceConfig.defaults(VendorModel.MTTY));
        int fd = enter(mtty, PRE_COPY);
        assertThat(mtty.calls.precopyInfo(fd).initialBytes()).isEqualTo(24);
        assertThat(mtty.readAll(fd).length).isEqualTo(24);
        assertThat(mtty.thread.read(fd, mtty.buffer(64), 64)).isZero();
        assertThat(mtty.calls.precopyInfo(fd).initialBytes()).isZero();

        Rig hisi = new Rig(V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF));
        fd = enter(hisi, PRE_COPY);
        PrecopyInfo info = hisi.calls.precopyInfo(fd);
        assertThat(info.initialBytes()).isEqualTo(40);
        assertThat(info.dirtyBytes()).isZero();
        assertThat(hisi.readAll(fd).length).isEqualTo(40);
        assertThat(hisi.thread.read(fd, hisi.buffer(64), 64)).isZero();
    }

    @Test
    void stopCopyDataEndsWithEofForever() {
        Rig rig = mlx5(20 << 20, 20 << 20, 0);
        int fd = enter(rig, STOP_COPY);
        byte[] all = rig.readAll(fd);
        // size record, then the 20 MiB image in 8 MiB records
        assertThat(all.length).isEqualTo(SIZE_REC + 3 * H + (20 << 20));
        long buf = rig.buffer(16);
        assertThat(rig.thread.read(fd, buf, 16)).isZero();
        assertThat(rig.thread.read(fd, buf, 16)).isZero();
        assertThat(rig.calls.dataSize().stopCopyLength()).isEqualTo(20 << 20);
    }

    @Test
    void preCopyToStopCopyKeepsTheFdAndAppendsTheFinalImage() {
        Rig rig = mdev(64 << 10, 16 << 10, 1 << 20);
        int fd = enter(rig, PRE_COPY);
        assertThat(rig.readAll(fd).length).isEqualTo(SIZE_REC + H + (16 << 10));
        rig.sleepMs(10);
        var r = rig.calls.setState(STOP_COPY);
        assertThat(r.ret()).isZero();
        assertThat(r.dataFd()).isEqualTo(-1);
        // the part of the state the initial image left out, plus what changed
        assertThat(rig.readAll(fd).length).isEqualTo(H + (48 << 10) + (1 << 20) / 100);
        assertThat(rig.thread.read(fd, rig.buffer(8), 8)).isZero();
    }

    @Test
    void positionalIoOnADataFdIsEspipe() {
        Rig rig = mlx5(64 << 10, 64 << 10, 0);
        int fd = enter(rig, PRE_COPY);
        long buf = rig.buffer(64);
        assertThat(rig.thread.pread(fd, buf, 64, 0)).isEqualTo(Errno.ESPIPE.ret());
        assertThat(rig.thread.pwrite(fd, buf, 64, 0)).isEqualTo(Errno.ESPIPE.ret());
    }

    @Test
    void wrongDirectionIsEbadfAndTheResumeFileHasNoIoctls() {
        Rig rig = mlx5(64 << 10, 64 << 10, 0);
        int save = enter(rig, STOP_COPY);
        long buf = rig.buffer(64);
        assertThat(rig.thread.write(save, buf, 64)).isEqualTo(Errno.EBADF.ret());
        enter(rig, STOP);
        int resume = enter(rig, RESUMING);
        assertThat(rig.thread.read(resume, buf, 64)).isEqualTo(Errno.EBADF.ret());
        assertThat(rig.calls.precopyInfo(resume).ret()).isEqualTo(Errno.ENOTTY.ret());
    }

    @Test
    void leavingTheSessionDisablesTheFile() {
        Rig rig = mlx5(64 << 10, 64 << 10, 0);
        int fd = enter(rig, PRE_COPY);
        enter(rig, RUNNING);
        long buf = rig.buffer(64);
        assertThat(rig.thread.read(fd, buf, 64)).isEqualTo(Errno.ENODEV.ret());
        assertThat(rig.calls.precopyInfo(fd).ret()).as("the state check comes first").isEqualTo(Errno.EINVAL.ret());
        int fresh = enter(rig, PRE_COPY);
        assertThat(fresh).isNotEqualTo(fd);
        assertThat(rig.calls.precopyInfo(fd).ret()).isEqualTo(Errno.ENODEV.ret());
        assertThat(rig.calls.precopyInfo(fresh).ret()).isZero();
    }

    @Test
    void everyDriverDisablesItsFilesOnTheWayOut() {
        for (VendorModel m : new VendorModel[] {VendorModel.MLX5_VF, VendorModel.HISI_ACC_VF, VendorModel.MTTY,
                VendorModel.MDEV_PIN}) {
            Rig rig = new Rig(V2DeviceConfig.builder(m).stopCopyBytes(4096).build());
            int fd = enter(rig, STOP_COPY);
            enter(rig, STOP);
            assertThat(rig.thread.read(fd, rig.buffer(8), 8)).as(m.id()).isEqualTo(Errno.ENODEV.ret());
            int resume = enter(rig, RESUMING);
            byte[] stream = TestStreams.valid(rig, m);
            long buf = rig.put(stream);
            assertThat(rig.thread.write(resume, buf, stream.length)).isEqualTo(stream.length);
            enter(rig, STOP);
            assertThat(rig.thread.write(resume, buf, 1)).as(m.id()).isEqualTo(Errno.ENODEV.ret());
        }
    }

    @Test
    void precopyInfoChecksItsArgumentsInTheDriversOrder() {
        Rig rig = mlx5(64 << 10, 64 << 10, 0);
        int fd = enter(rig, PRE_COPY);
        assertThat(rig.calls.precopyInfo(fd, 23, 0).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.thread.ioctl(fd, Ioctl.VFIO_MIG_GET_PRECOPY_INFO.number(), 0x10)).isEqualTo(Errno.EFAULT.ret());
        assertThat(rig.thread.ioctl(fd, Ioctl.VFIO_DEVICE_FEATURE.number(), 0)).isEqualTo(Errno.ENOTTY.ret());
        PrecopyInfo echoed = rig.calls.precopyInfo(fd, 32, 0xabc);
        assertThat(echoed.ret()).isZero();
        assertThat(echoed.flags()).as("no driver clears flags").isEqualTo(0xabc);
        enter(rig, PRE_COPY_P2P);
        assertThat(rig.calls.precopyInfo(fd).ret()).isZero();
        enter(rig, STOP_COPY);
        assertThat(rig.calls.precopyInfo(fd).ret()).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void hisiAnswersPrecopyInfoOnlyInPreCopy() {
        Rig rig = new Rig(V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF));
        int fd = enter(rig, PRE_COPY);
        assertThat(rig.calls.precopyInfo(fd).ret()).isZero();
        enter(rig, STOP_COPY);
        assertThat(rig.calls.precopyInfo(fd).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(rig.readAll(fd).length).isEqualTo(176);
    }

    @Test
    void mdevPinEstimatesTheStopCopyLengthFromWhatTheFinalImageWouldCarry() {
        Rig rig = mdev(64 << 10, 16 << 10, 1 << 20);
        assertThat(rig.calls.dataSize().stopCopyLength()).isEqualTo(64 << 10);
        enter(rig, PRE_COPY);
        assertThat(rig.calls.dataSize().stopCopyLength()).isEqualTo(48 << 10);
        rig.sleepMs(10);
        assertThat(rig.calls.dataSize().stopCopyLength()).isEqualTo((48 << 10) + (1 << 20) / 100);
    }

    @Test
    void aGpuSizedStateStreamsWithoutMaterializingItsPayload() {
        long s = 16L << 30;
        Rig rig = mdev(s, s, 0);
        int fd = enter(rig, STOP_COPY);
        long chunk = 1L << 30;
        long buf = rig.thread.mmap(chunk, Syscalls.PROT_READ | Syscalls.PROT_WRITE,
                Syscalls.MAP_PRIVATE | Syscalls.MAP_ANONYMOUS, -1, 0);
        long first = rig.thread.read(fd, buf, chunk);
        assertThat(first).isEqualTo(chunk);
        assertThat(rig.process.memory().getLong(buf)).as("the header is real").isEqualTo(RecordFormat.MAGIC);
        var d = rig.calls.drain(fd, buf, chunk);
        assertThat(d.lastRet()).isZero();
        assertThat(first + d.bytes()).isEqualTo(SIZE_REC + H + s);
    }

    @Test
    void streamBandwidthChargesVirtualTime() {
        Rig rig = new Rig(V2DeviceConfig.builder(VendorModel.MDEV_PIN).stopCopyBytes(1 << 20)
                .streamBytesPerSecond(1L << 30).build());
        int fd = enter(rig, STOP_COPY);
        long before = rig.clock.nanos();
        long buf = rig.buffer(1 << 20);
        assertThat(rig.thread.read(fd, buf, 1 << 20)).isEqualTo(1 << 20);
        // 1 MiB at 1 GiB/s
        assertThat(rig.clock.nanos() - before).isEqualTo(976_562L);
    }
}
