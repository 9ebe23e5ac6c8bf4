package org.migtrace.sim.run.internal;

import static org.migtrace.uapi.MigState.ERROR;
import static org.migtrace.uapi.MigState.RUNNING;

import org.migtrace.sim.SimThread;
import org.migtrace.sim.vmm.DeviceCalls;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;

/**
 * QEMU's idea of a v2 device's migration state ({@code migration->device_state}) and of the open
 * save or resume session ({@code migration->data_fd}), changed only by
 * {@code vfio_migration_set_state} ({@code hw/vfio/migration.c}):
 * <ul>
 *   <li>the SET succeeds: the new state; a data fd returned while one is open is "data_fd out of
 *       sync" ({@code -EBADF}: the device was reset behind QEMU's back), the new fd is closed;</li>
 *   <li>it fails: QEMU tries the recover state; if the recover state is ERROR, or setting it
 *       fails too, {@code VFIO_DEVICE_RESET}, after which the device is RUNNING (QEMU aborts with
 *       {@code hw_error} if the reset fails; here the state becomes ERROR and the failure is
 *       recorded). The error returned is the first SET's.</li>
 * </ul>
 * The VM state handlers and the failure notifier use the "or reset" form (recover state ERROR).
 */
final class QemuDeviceState {
    private final DeviceBase device;
    private MigState state = RUNNING;
    private int dataFd = -1;

    QemuDeviceState(DeviceBase device) {
        this.device = device;
    }

    MigState state() {
        return state;
    }

    int dataFd() {
        return dataFd;
    }

    /** Whether the device is in a pre-copy state. */
    boolean inPrecopy() {
        return state == MigState.PRE_COPY || state == MigState.PRE_COPY_P2P;
    }

    /** {@code vfio_migration_set_state} from {@code thread}: 0 or {@code -errno}. */
    long set(SimThread thread, DeviceCalls calls, MigState target, MigState recover) {
        MigState from = state;
        DeviceCalls.MigStateResult r = calls.setState(target);
        if (r.ret() < 0) {
            String op = from + ">" + target;
            if (recover == ERROR) {
                device.fail(op, r.ret(), "Failed setting device state to " + target
                        + ". Recover state is ERROR. Resetting device");
                return reset(calls, r.ret());
            }
            device.fail(op, r.ret(), "Failed setting device state to " + target);
            DeviceCalls.MigStateResult back = calls.setState(recover);
            if (back.ret() < 0) {
                device.fail(from + ">" + recover, back.ret(), "Failed setting device in recover state " + recover);
                return reset(calls, r.ret());
            }
            state = recover;
            return r.ret();
        }
        state = target;
        if (r.dataFd() != -1) {
            if (dataFd != -1) {
                thread.close(r.dataFd());
                return device.fail(from + ">" + target, Errno.EBADF.ret(), "data_fd out of sync");
            }
            dataFd = r.dataFd();
        }
        return 0;
    }

    /** {@code reset_device}. */
    private long reset(DeviceCalls calls, long ret) {
        long r = calls.reset();
        if (r < 0) {
            device.fail("RESET", r, "Failed resetting device (hw_error)");
            state = ERROR;
            return ret;
        }
        state = RUNNING;
        return ret;
    }

    /**
     * {@code vfio_migration_cleanup}: {@code close(data_fd)}, which QEMU issues even when there is
     * no session ({@code close(-1)}: {@code EBADF}), then no fd.
     */
    void closeData(SimThread thread) {
        thread.close(dataFd);
        dataFd = -1;
    }
}
