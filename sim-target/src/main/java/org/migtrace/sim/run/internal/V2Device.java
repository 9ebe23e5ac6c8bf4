package org.migtrace.sim.run.internal;

import static org.migtrace.uapi.MigState.ERROR;
import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.DeviceSpec;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;

/**
 * A v2 device as QEMU 9.x/10.x drives it ({@code hw/vfio/migration.c}). QEMU keeps its own idea of
 * the device state ({@code migration->device_state}) and the save session's data fd; the pre-copy
 * sizes are cached from {@code VFIO_MIG_GET_PRECOPY_INFO} and decremented as data is read
 * ({@code vfio_update_estimated_pending_data}), the initial bytes first.
 *
 * <p>State changes go through {@link QemuDeviceState} ({@code vfio_migration_set_state} with its
 * recover and reset logic).
 */
final class V2Device extends DeviceBase {
    /** {@code VFIO_MIG_DEFAULT_DATA_BUFFER_SIZE}: the most one read asks for. */
    static final long DATA_BUFFER_SIZE = 1L << 20;
    /** {@code VFIO_MIG_STOP_COPY_SIZE}: reported when MIG_DATA_SIZE fails, so that no threshold is met. */
    static final long STOP_COPY_SIZE_ON_ERROR = 100L << 30;

    private final SimThread mainThread;
    private final SimThread migThread;
    private final DeviceCalls main;
    private final DeviceCalls mig;
    private final boolean switchoverAck;
    private final QemuDeviceState qemu = new QemuDeviceState(this);
    private int flags;
    private boolean logging;
    private long buffer;
    private long bufferSize;
    private long precopyInit;
    private long precopyDirty;
    private boolean initialDataSent;
    private long stopCopySize;

    /**
     * Realizes the device on device fd {@code fd} ({@code vfio_migration_realize}): the migration
     * flags, and whether DMA logging is supported ({@code vfio_dma_logging_supported}: a PROBE of
     * DMA_LOGGING_START).
     */
    V2Device(DeviceSpec spec, int fd, SimThread mainThread, SimThread migrationThread, Failure.Latch failures,
             boolean switchoverAck) {
        super(spec, failures);
        this.mainThread = mainThread;
        this.migThread = migrationThread;
        this.main = new DeviceCalls(mainThread, fd);
        this.mig = new DeviceCalls(migrationThread, fd);
        this.switchoverAck = switchoverAck;
        DeviceCalls.Migration m = main.migration();
        if (m.ret() < 0) {
            block("VFIO migration is not supported in kernel (VFIO_DEVICE_FEATURE_MIGRATION: "
                    + Errno.describe(m.ret()) + ")");
        } else if ((m.flags() & MigrationFlag.STOP_COPY.bit()) == 0) {
            block("Migration couldn't be initialized for VFIO device (no STOP_COPY): EOPNOTSUPP");
        } else {
            flags = (int) m.flags();
            logging = main.probe(DeviceFeature.DMA_LOGGING_START, 0) == 0; // only once migration is set up
        }
    }

    @Override
    public boolean dmaLoggingSupported() {
        return logging;
    }

    @Override
    public DeviceCalls loggingCalls(boolean migrationThread) {
        return migrationThread ? mig : main;
    }

    @Override
    public boolean p2p() {
        return (flags & MigrationFlag.P2P.bit()) != 0;
    }

    private boolean preCopySupported() {
        return (flags & MigrationFlag.PRE_COPY.bit()) != 0;
    }

    private boolean inPrecopy() {
        return qemu.inPrecopy();
    }

    // ---- state changes: QEMU's set_state, from the thread the caller runs on

    private long setState(DeviceCalls calls, MigState target, MigState recover) {
        return qemu.set(calls == main ? mainThread : migThread, calls, target, recover);
    }

    private long setStateOrReset(DeviceCalls calls, MigState target) {
        return setState(calls, target, ERROR);
    }

    // ---- source

    @Override
    public long saveSetup() {
        long size = queryStopCopySize(DATA_BUFFER_SIZE);
        bufferSize = Math.min(DATA_BUFFER_SIZE, size);
        if (bufferSize == 0) {
            fail("save_setup", Errno.ENOMEM.ret(), "Failed to allocate migration data buffer");
            return Errno.ENOMEM.ret();
        }
        buffer = mem().malloc(bufferSize);
        if (preCopySupported()) {
            if (qemu.state() == RUNNING) {
                long ret = setState(mig, PRE_COPY, RUNNING);
                if (ret < 0) {
                    return ret;
                }
                queryPrecopySize();
            } else if (qemu.state() != STOP) {
                fail("save_setup", Errno.EINVAL.ret(), "Invalid device state " + qemu.state());
                return Errno.EINVAL.ret();
            }
        }
        return 0;
    }

    /** {@code vfio_query_stop_copy_size}: MIG_DATA_SIZE, or {@code fallback} when it fails. */
    private long queryStopCopySize(long fallback) {
        DeviceCalls.DataSize d = mig.dataSize();
        stopCopySize = d.ret() < 0 ? fallback : d.stopCopyLength();
        return stopCopySize;
    }

    /** {@code vfio_query_precopy_size}: zero unless PRECOPY_INFO answers. */
    private void queryPrecopySize() {
        precopyInit = 0;
        precopyDirty = 0;
        DeviceCalls.PrecopyInfo info = mig.precopyInfo(qemu.dataFd());
        if (info.ret() >= 0) {
            precopyInit = info.initialBytes();
            precopyDirty = info.dirtyBytes();
        }
    }

    @Override
    public long pendingEstimate() {
        return inPrecopy() ? precopyInit + precopyDirty : 0;
    }

    @Override
    public long pendingExact() {
        long pending = queryStopCopySize(STOP_COPY_SIZE_ON_ERROR);
        if (inPrecopy()) {
            queryPrecopySize();
            pending += precopyInit + precopyDirty;
        }
        return pending;
    }

    @Override
    public boolean activeIterate() {
        return inPrecopy();
    }

    @Override
    public long saveIterate() {
        long n = saveBlock(true);
        if (n < 0) {
            return n;
        }
        updateEstimated(n);
        if (switchoverAck && precopyInit == 0 && !initialDataSent) {
            initialDataSent = true; // VFIO_MIG_FLAG_DEV_INIT_DATA_SENT
        }
        return n;
    }

    @Override
    public boolean switchoverAcked() {
        return !switchoverAck || !preCopySupported() || initialDataSent;
    }

    /** {@code vfio_save_block}: one read of the data fd; ENOMSG is an empty pre-copy stream for now. */
    private long saveBlock(boolean precopy) {
        long n = migThread.read(qemu.dataFd(), buffer, bufferSize);
        if (n < 0) {
            if (n == Errno.ENOMSG.ret()) {
                return 0;
            }
            fail("read", n, "Failed to read migration data");
            return n;
        }
        if (n > 0) {
            carry(mem().copyFrom(buffer, (int) n), precopy);
        }
        return n;
    }

    /** {@code vfio_update_estimated_pending_data}. */
    private void updateEstimated(long n) {
        if (n == 0) {
            precopyInit = 0;
            precopyDirty = 0;
            return;
        }
        long rest = n;
        if (precopyInit > 0) {
            long fromInit = Math.min(precopyInit, rest);
            precopyInit -= fromInit;
            rest -= fromInit;
        }
        precopyDirty -= Math.min(precopyDirty, rest);
    }

    @Override
    public void vmStatePrepare(boolean running) {
        if (!p2p()) {
            return; // the prepare handler is registered only for devices with P2P
        }
        setStateOrReset(running ? main : mig, qemu.state() == PRE_COPY ? PRE_COPY_P2P : RUNNING_P2P);
    }

    @Override
    public void vmStateChange(boolean running) {
        MigState target = running ? RUNNING : inPrecopy() ? STOP_COPY : STOP;
        setStateOrReset(running ? main : mig, target);
    }

    @Override
    public long completePrecopy() {
        long ret = setState(mig, STOP_COPY, STOP);
        if (ret < 0) {
            return ret;
        }
        while (true) {
            long n = saveBlock(false);
            if (n <= 0) {
                return n;
            }
        }
    }

    @Override
    public void saveCleanup() {
        if (qemu.state() == STOP_COPY) {
            // deferred to after the migration so that it does not add to downtime
            setStateOrReset(main, STOP);
        }
        closeData();
    }

    @Override
    public void migrationFailed() {
        setStateOrReset(main, RUNNING);
    }

    private void closeData() {
        if (buffer != 0) {
            mem().free(buffer);
            buffer = 0;
        }
        qemu.closeData(mainThread);
    }

    private UserMemory mem() {
        return mainThread.process().memory();
    }

    // ---- destination

    @Override
    public long loadSetup() {
        return setState(main, RESUMING, qemu.state());
    }

    @Override
    public long load(byte[] data) {
        if (buffer == 0) {
            buffer = mem().malloc(DATA_BUFFER_SIZE);
        }
        for (int off = 0; off < data.length; off += (int) DATA_BUFFER_SIZE) {
            int n = (int) Math.min(DATA_BUFFER_SIZE, data.length - off);
            mem().write(buffer, data, off, n);
            long ret = main.writeAll(qemu.dataFd(), buffer, n);
            if (ret < 0) {
                fail("write", ret, "Failed to load migration data");
                return ret;
            }
        }
        return 0;
    }

    @Override
    public void loadCleanup() {
        closeData();
    }

    // ---- report

    @Override
    public String stateName() {
        return qemu.state().name();
    }

    @Override
    public long lastStopCopySize() {
        return stopCopySize;
    }
}
