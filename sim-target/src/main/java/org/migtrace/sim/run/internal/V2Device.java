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
 * <p>{@link #setState} is {@code vfio_migration_set_state}: on a failed SET it tries the recover
 * state; if that is ERROR or also fails, {@code VFIO_DEVICE_RESET} (the device is then RUNNING). A
 * data fd returned while one is open is "data_fd out of sync" ({@code -EBADF}). The VM state
 * handlers and the failure notifier use the "or reset" form (recover state ERROR).
 */
final class V2Device implements VmmDevice {
    /** {@code VFIO_MIG_DEFAULT_DATA_BUFFER_SIZE}: the most one read asks for. */
    static final long DATA_BUFFER_SIZE = 1L << 20;
    /** {@code VFIO_MIG_STOP_COPY_SIZE}: reported when MIG_DATA_SIZE fails, so that no threshold is met. */
    static final long STOP_COPY_SIZE_ON_ERROR = 100L << 30;

    private final DeviceSpec spec;
    private final SimThread mainThread;
    private final SimThread migThread;
    private final DeviceCalls main;
    private final DeviceCalls mig;
    private final Failure.Latch failures;
    private final boolean switchoverAck;
    private ChunkSink sink = data -> { };
    private MigState state = RUNNING;
    private int flags;
    private String blocker = "";
    private boolean logging;
    private int dataFd = -1;
    private long buffer;
    private long bufferSize;
    private long precopyInit;
    private long precopyDirty;
    private boolean initialDataSent;
    private long stopCopySize;
    private long precopyBytes;
    private long stopCopyBytes;

    /**
     * Realizes the device on device fd {@code fd} ({@code vfio_migration_realize}): the migration
     * flags, and whether DMA logging is supported ({@code vfio_dma_logging_supported}: a PROBE of
     * DMA_LOGGING_START).
     */
    V2Device(DeviceSpec spec, int fd, SimThread mainThread, SimThread migrationThread, Failure.Latch failures,
             boolean switchoverAck) {
        this.spec = spec;
        this.mainThread = mainThread;
        this.migThread = migrationThread;
        this.main = new DeviceCalls(mainThread, fd);
        this.mig = new DeviceCalls(migrationThread, fd);
        this.failures = failures;
        this.switchoverAck = switchoverAck;
        DeviceCalls.Migration m = main.migration();
        if (m.ret() < 0) {
            blocker = spec.name() + ": VFIO migration is not supported in kernel (VFIO_DEVICE_FEATURE_MIGRATION: "
                    + Errno.describe(m.ret()) + ")";
        } else if ((m.flags() & MigrationFlag.STOP_COPY.bit()) == 0) {
            blocker = spec.name() + ": VFIO migration without STOP_COPY is not supported";
        } else {
            flags = (int) m.flags();
        }
        logging = main.probe(DeviceFeature.DMA_LOGGING_START, 0) == 0;
    }

    @Override
    public DeviceSpec spec() {
        return spec;
    }

    @Override
    public boolean migratable() {
        return blocker.isEmpty();
    }

    @Override
    public String blocker() {
        return blocker;
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
        return state == PRE_COPY || state == PRE_COPY_P2P;
    }

    @Override
    public void connect(ChunkSink sink) {
        this.sink = sink;
    }

    // ---- state changes

    /** {@code vfio_migration_set_state}: 0 or {@code -errno}. */
    long setState(DeviceCalls calls, MigState target, MigState recover) {
        MigState from = state;
        DeviceCalls.MigStateResult r = calls.setState(target);
        if (r.ret() < 0) {
            String op = from + ">" + target;
            if (recover == ERROR) {
                fail(op, r.ret(), "Failed setting device state to " + target + ". Recover state is ERROR. Resetting device");
                return reset(calls, r.ret());
            }
            fail(op, r.ret(), "Failed setting device state to " + target);
            DeviceCalls.MigStateResult back = calls.setState(recover);
            if (back.ret() < 0) {
                fail(from + ">" + recover, back.ret(), "Failed setting device in recover state " + recover);
                return reset(calls, r.ret());
            }
            state = recover;
            return r.ret();
        }
        state = target;
        if (r.dataFd() != -1) {
            if (dataFd != -1) {
                // the device was reset behind QEMU's back and ended the session it knew of
                (calls == main ? mainThread : migThread).close(r.dataFd());
                fail(from + ">" + target, Errno.EBADF.ret(), "data_fd out of sync");
                return Errno.EBADF.ret();
            }
            dataFd = r.dataFd();
        }
        return 0;
    }

    /** {@code reset_device}: VFIO_DEVICE_RESET puts the device in RUNNING; QEMU aborts if it fails. */
    private long reset(DeviceCalls calls, long ret) {
        long r = calls.reset();
        if (r < 0) {
            fail("RESET", r, "Failed resetting device (hw_error)");
            state = ERROR;
            return ret;
        }
        state = RUNNING;
        return ret;
    }

    private long setStateOrReset(DeviceCalls calls, MigState target) {
        return setState(calls, target, ERROR);
    }

    private void fail(String op, long ret, String message) {
        failures.set(new Failure(spec.name(), op, ret, spec.name() + ": " + message + ": " + Errno.describe(ret)));
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
            if (state == RUNNING) {
                long ret = setState(mig, PRE_COPY, RUNNING);
                if (ret < 0) {
                    return ret;
                }
                queryPrecopySize();
            } else if (state != STOP) {
                fail("save_setup", Errno.EINVAL.ret(), "Invalid device state " + state);
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
        DeviceCalls.PrecopyInfo info = mig.precopyInfo(dataFd);
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
        long n = migThread.read(dataFd, buffer, bufferSize);
        if (n < 0) {
            if (n == Errno.ENOMSG.ret()) {
                return 0;
            }
            fail("read", n, "Failed to read migration data");
            return n;
        }
        if (n > 0) {
            if (precopy) {
                precopyBytes += n;
            } else {
                stopCopyBytes += n;
            }
            sink.accept(mem().copyFrom(buffer, (int) n));
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
        setStateOrReset(running ? main : mig, state == PRE_COPY ? PRE_COPY_P2P : RUNNING_P2P);
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
        if (state == STOP_COPY) {
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
        if (dataFd != -1) {
            mainThread.close(dataFd);
            dataFd = -1;
        }
    }

    private UserMemory mem() {
        return mainThread.process().memory();
    }

    // ---- destination

    @Override
    public long loadSetup() {
        return setState(main, RESUMING, state);
    }

    @Override
    public long load(byte[] data) {
        if (buffer == 0) {
            buffer = mem().malloc(DATA_BUFFER_SIZE);
        }
        for (int off = 0; off < data.length; off += (int) DATA_BUFFER_SIZE) {
            int n = (int) Math.min(DATA_BUFFER_SIZE, data.length - off);
            mem().write(buffer, data, off, n);
            long ret = main.writeAll(dataFd, buffer, n);
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
        return state.name();
    }

    @Override
    public long precopyBytes() {
        return precopyBytes;
    }

    @Override
    public long stopCopyBytes() {
        return stopCopyBytes;
    }

    @Override
    public long lastStopCopySize() {
        return stopCopySize;
    }
}
