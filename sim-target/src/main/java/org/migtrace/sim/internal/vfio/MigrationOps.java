package org.migtrace.sim.internal.vfio;

import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.MigState;

/**
 * A v2 migration driver ({@code struct vfio_migration_ops} in {@code include/linux/vfio.h}).
 * Drivers walk {@link org.migtrace.uapi.V2Fsm#nextState} themselves inside
 * {@link #setState}, one arc at a time, as mlx5, hisi_acc, pds and mtty do.
 */
public interface MigrationOps {

    /**
     * What {@code migration_set_state} returns: a new data file (the last arc opened a session),
     * nothing, or an error ({@code ERR_PTR}).
     */
    record SetStateResult(KFile file, long error) {
        public static final SetStateResult NONE = new SetStateResult(null, 0);

        public static SetStateResult file(KFile file) {
            return new SetStateResult(file, 0);
        }

        public static SetStateResult error(long negErrno) {
            if (negErrno >= 0) {
                throw new IllegalArgumentException("not an error: " + negErrno);
            }
            return new SetStateResult(null, negErrno);
        }

        public boolean isError() {
            return error < 0;
        }
    }

    /** {@code migration_set_state(vdev, new_state)}. */
    SetStateResult setState(KernelCtx ctx, MigState target);

    /** {@code migration_get_state}: the current state. */
    MigState getState();

    /**
     * {@code migration_get_data_size}: 0 with {@code out[0]} = estimated STOP_COPY bytes, or
     * {@code -errno}.
     */
    long getDataSize(KernelCtx ctx, long[] out);

    /** The {@code VFIO_MIGRATION_*} flags the driver advertises. */
    int migrationFlags();
}
