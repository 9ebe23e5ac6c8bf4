package org.migtrace.sim.internal.vendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.sim.vendor.VendorModel;
import org.migtrace.uapi.Errno;

/** The destination side: streams from a source device accepted, and each driver's validation. */
class ResumeTest {

    static V2DeviceConfig config(VendorModel m) {
        return V2DeviceConfig.builder(m).stopCopyBytes(40 << 10).precopyInitialBytes(24 << 10)
                .dirtyBytesPerSecond(1 << 20).build();
    }

    /** A destination device in RESUMING; returns the resume fd. */
    static int resuming(Rig dst) {
        var r = dst.calls.setState(RESUMING);
        assertThat(r.ret()).isZero();
        return r.dataFd();
    }

    /** Writes {@code bytes} in pieces of {@code piece}; every write must take the whole piece. */
    static void feed(Rig dst, int fd, byte[] bytes, int piece) {
        long buf = dst.put(bytes);
        for (int at = 0; at < bytes.length; at += piece) {
            int n = Math.min(piece, bytes.length - at);
            assertThat(dst.thread.write(fd, buf + at, n)).isEqualTo(n);
        }
    }

    /** Runs a live migration on the source: pre-copy when offered, some dirtying, stop-copy; returns the stream. */
    static byte[] migrateOut(Rig src) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean preCopy = PRE_COPY.supportedBy((int) src.calls.migration().flags());
        int fd;
        if (preCopy) {
            fd = src.calls.setState(PRE_COPY).dataFd();
            out.writeBytes(src.readAll(fd));
            src.sleepMs(5);
            src.calls.precopyInfo(fd);
            out.writeBytes(src.readAll(fd));
            assertThat(src.calls.setState(STOP_COPY).dataFd()).isEqualTo(-1);
        } else {
            fd = src.calls.setState(STOP_COPY).dataFd();
        }
        out.writeBytes(src.readAll(fd));
        assertThat(src.calls.setState(STOP).ret()).isZero();
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = VendorModel.class, names = {"MLX5_VF", "HISI_ACC_VF", "MTTY", "MDEV_PIN"})
    void aSourceStreamResumesOnTheDestinationWhateverTheWriteSizes(VendorModel model) {
        SimClock clock = new SimClock();
        Rig src = new Rig(config(model), clock, "src");
        Rig dst = new Rig(config(model), clock, "dst");
        byte[] stream = migrateOut(src);
        int fd = resuming(dst);
        feed(dst, fd, stream, 7);
        var r = dst.calls.setState(RUNNING);
        assertThat(r.ret()).isZero();
        assertThat(dst.state()).isEqualTo(RUNNING);
    }

    @Test
    void mttyRefusesToLoadAShortStream() {
        Rig dst = new Rig(V2DeviceConfig.defaults(VendorModel.MTTY));
        int fd = resuming(dst);
        feed(dst, fd, Arrays.copyOf(TestStreams.mtty(1), 59), 59);
        dst.clearEvents();
        assertThat(dst.calls.setState(STOP).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(dst.state()).isEqualTo(RESUMING);
        assertThat(dst.arcs()).isEmpty();
        feed(dst, fd, new byte[1], 1);
        assertThat(dst.calls.setState(STOP).ret()).isZero();
    }

    @Test
    void mttyFailsTheWriteThatCompletesABadHeaderButCountsItsBytes() {
        Rig dst = new Rig(V2DeviceConfig.defaults(VendorModel.MTTY));
        int fd = resuming(dst);
        byte[] bad = TestStreams.mtty(2); // a two-port stream into a one-port device
        long buf = dst.put(bad);
        assertThat(dst.thread.write(fd, buf, 20)).isEqualTo(20);
        assertThat(dst.thread.write(fd, buf + 20, 10)).isEqualTo(Errno.EFAULT.ret());
        assertThat(dst.thread.write(fd, buf + 30, 30)).as("60 bytes counted").isEqualTo(30);
        assertThat(dst.thread.write(fd, buf, 1)).as("past mtty_data_size").isEqualTo(Errno.ENOMEM.ret());
        assertThat(dst.calls.setState(STOP).ret()).as("the size was reached").isZero();
    }

    @Test
    void hisiLoadsMatchDataAloneOrTheWholeStructAndNothingInBetween() {
        Rig dst = new Rig(V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF));
        feed(dst, resuming(dst), TestStreams.hisi(0xa256, 40), 40);
        assertThat(dst.calls.setState(STOP).ret()).isZero();

        feed(dst, resuming(dst), TestStreams.hisi(0xa256, 100), 100);
        assertThat(dst.calls.setState(STOP).ret()).isEqualTo(Errno.EINVAL.ret());
        assertThat(dst.state()).isEqualTo(RESUMING);
    }

    @Test
    void hisiChecksTheMatchDataOncePerOpenAndCapsTheStream() {
        Rig dst = new Rig(V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF));
        int fd = resuming(dst);
        long buf = dst.put(TestStreams.hisi(0xa255, 176));
        assertThat(dst.thread.write(fd, buf, 30)).isEqualTo(30);
        assertThat(dst.thread.write(fd, buf + 30, 20)).as("foreign device id").isEqualTo(Errno.EFAULT.ret());
        assertThat(dst.thread.write(fd, buf, 130)).as("more than sizeof(acc_vf_data)").isEqualTo(Errno.ENOMEM.ret());

        Rig other = new Rig(V2DeviceConfig.defaults(VendorModel.HISI_ACC_VF));
        feed(other, resuming(other), TestStreams.hisi(0xa256, 176), 176);
        assertThat(other.calls.setState(STOP).ret()).isZero();
        // match_done stays set until the device is opened again: a foreign stream now passes
        feed(other, resuming(other), TestStreams.hisi(0xa255, 176), 176);
        assertThat(other.calls.setState(STOP).ret()).isZero();
    }

    @Test
    void mlx5RejectsAForeignHeaderAndTheFileStaysDead() {
        Rig dst = new Rig(config(VendorModel.MLX5_VF));
        int fd = resuming(dst);
        byte[] junk = new byte[64];
        Arrays.fill(junk, (byte) 0x5a);
        long buf = dst.put(junk);
        assertThat(dst.thread.write(fd, buf, 64)).isEqualTo(Errno.EOPNOTSUPP.ret());
        assertThat(dst.thread.write(fd, buf, 1)).isEqualTo(Errno.ENODEV.ret());
    }

    @Test
    void mlx5FirmwareRejectsAnotherModelsImageWhenItLoads() {
        Rig dst = new Rig(config(VendorModel.MLX5_VF));
        int fd = resuming(dst);
        byte[] stream = TestStreams.records(0x1234, 4096, true);
        long buf = dst.put(stream);
        assertThat(dst.thread.write(fd, buf, RecordFormat.HEADER_SIZE)).as("headers pass").isEqualTo(RecordFormat.HEADER_SIZE);
        assertThat(dst.thread.write(fd, buf + RecordFormat.HEADER_SIZE, stream.length - RecordFormat.HEADER_SIZE))
                .isEqualTo(Errno.EREMOTEIO.ret());
    }

    @Test
    void mlx5RefusesARecordItCannotLoad() {
        Rig dst = new Rig(config(VendorModel.MLX5_VF));
        int fd = resuming(dst);
        byte[] h = RecordFormat.header(0x101e, RecordFormat.TAG_FULL, RecordFormat.FLAG_LAST, 1L << 32);
        assertThat(dst.thread.write(fd, dst.put(h), h.length)).isEqualTo(Errno.ENOMEM.ret());
    }

    @Test
    void mlx5DoesNotNoticeATruncatedStream() {
        Rig dst = new Rig(config(VendorModel.MLX5_VF));
        int fd = resuming(dst);
        byte[] stream = TestStreams.records(0x101e, 4096, true);
        feed(dst, fd, Arrays.copyOf(stream, stream.length - 100), 512);
        assertThat(dst.calls.setState(STOP).ret()).isZero();
    }

    @Test
    void mdevPinRefusesToLoadATruncatedStream() {
        Rig dst = new Rig(config(VendorModel.MDEV_PIN));
        int fd = resuming(dst);
        byte[] stream = TestStreams.records(0x2236, 4096, true);
        feed(dst, fd, Arrays.copyOf(stream, stream.length - 1), 1000);
        assertThat(dst.calls.setState(STOP).ret()).isEqualTo(Errno.EINVAL.ret());
        feed(dst, fd, new byte[1], 1);
        assertThat(dst.calls.setState(STOP).ret()).isZero();
    }

    @Test
    void mdevPinRejectsAnotherModelsStreamAtItsFirstHeader() {
        Rig dst = new Rig(config(VendorModel.MDEV_PIN));
        int fd = resuming(dst);
        byte[] stream = TestStreams.records(0x1234, 4096, true);
        long buf = dst.put(stream);
        assertThat(dst.thread.write(fd, buf, stream.length)).isEqualTo(Errno.EFAULT.ret());
        assertThat(dst.thread.write(fd, buf, 1)).isEqualTo(Errno.EFAULT.ret());
        assertThat(dst.calls.setState(STOP).ret()).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void aStreamWithoutItsLastRecordIsIncomplete() {
        Rig dst = new Rig(config(VendorModel.MDEV_PIN));
        int fd = resuming(dst);
        feed(dst, fd, TestStreams.records(0x2236, 4096, false), 4096);
        assertThat(dst.calls.setState(STOP).ret()).isEqualTo(Errno.EINVAL.ret());
    }

    @Test
    void aResumeWriteFromUnmappedMemoryFaults() {
        Rig dst = new Rig(config(VendorModel.MDEV_PIN));
        int fd = resuming(dst);
        assertThat(dst.thread.write(fd, 0x10, 64)).isEqualTo(Errno.EFAULT.ret());
    }
}
