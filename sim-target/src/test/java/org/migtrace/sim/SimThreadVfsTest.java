package org.migtrace.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.junit.jupiter.api.Test;

/** The VFS checks SimThread applies before a driver sees a read or write (fs/read_write.c). */
class SimThreadVfsTest {

    /** A read-only stream that answers every read with the count it was given. */
    static final class ReadOnlyStream implements KFile {
        final List<Long> driverCalls = new ArrayList<>();

        @Override
        public FdKind kind() {
            return FdKind.MIG_DATA;
        }

        @Override
        public String objectName() {
            return "stream";
        }

        @Override
        public boolean isStream() {
            return true;
        }

        @Override
        public boolean writable() {
            return false;
        }

        @Override
        public long read(KernelCtx ctx, long buf, long count, long[] pos) {
            driverCalls.add(count);
            return count;
        }
    }

    final SimHost host = new SimHost("h", new SimClock());
    final SimThread t = host.spawn("qemu", 100).mainThread();
    final ReadOnlyStream file = new ReadOnlyStream();
    final int fd;

    SimThreadVfsTest() {
        host.registerDevNode("/dev/test/stream", ctx -> ctx.installFd(file));
        fd = (int) t.open("/dev/test/stream");
    }

    @Test
    void aNegativePreadOffsetIsEinvalEvenBeforeTheFdIsLookedUp() {
        assertThat(t.pread(999, 0, 8, -1)).isEqualTo(Errno.EINVAL.ret());
        assertThat(t.pread(999, 0, 8, 0)).isEqualTo(Errno.EBADF.ret());
    }

    @Test
    void positionalIoOnAStreamIsEspipe() {
        long buf = t.process().memory().malloc(8);
        assertThat(t.pread(fd, buf, 8, 0)).isEqualTo(Errno.ESPIPE.ret());
        assertThat(file.driverCalls).isEmpty();
    }

    @Test
    void theFileModeIsCheckedBeforeTheBuffer() {
        assertThat(t.write(fd, 0, 8)).as("bad buffer, read-only file").isEqualTo(Errno.EBADF.ret());
        long kernelAddress = 0xffff_8880_0000_0000L;
        assertThat(t.read(fd, kernelAddress, 8)).as("access_ok fails, readable file").isEqualTo(Errno.EFAULT.ret());
        assertThat(file.driverCalls).isEmpty();
        assertThat(t.read(fd, 0x10, 8)).as("access_ok passes: the driver's copy decides").isEqualTo(8);
    }

    @Test
    void countsAreClampedToMaxRwCount() {
        long buf = t.process().memory().malloc(8);
        assertThat(t.read(fd, buf, Long.MAX_VALUE)).isEqualTo(Errno.EFAULT.ret());
        assertThat(t.read(fd, buf, 3L << 30)).isEqualTo(SimThread.MAX_RW_COUNT);
        assertThat(file.driverCalls).containsExactly(SimThread.MAX_RW_COUNT);
    }

    @Test
    void everySyscallAdvancesTheVirtualClock() {
        long before = host.clock().nanos();
        t.read(fd, 0, 0);
        assertThat(host.clock().nanos()).isEqualTo(before + host.syscallCostNs());
    }
}
