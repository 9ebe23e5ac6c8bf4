package org.migtrace.sim.internal.vendor;

import org.migtrace.sim.internal.kernel.KernelCtx;

/** The driver behind a {@link SaveFile}: what differs between drivers on the save side. */
interface SaveSource {
    /**
     * A read found no unread bytes in the stream. Returns 0 (end of file: mtty and hisi even in
     * pre-copy, everyone once STOP_COPY data is complete), {@code -ENOMSG} (a temporary end of
     * pre-copy data, as the uAPI asks and mlx5 does), or 1 after appending new data to the stream.
     */
    long endOfData(KernelCtx ctx, SaveFile file);

    /**
     * {@code VFIO_MIG_GET_PRECOPY_INFO} after the header checks: the driver's state check, the
     * disabled check, then {@code out[0]} = initial_bytes, {@code out[1]} = dirty_bytes. 0 or
     * {@code -errno}.
     */
    long precopyInfo(KernelCtx ctx, SaveFile file, long[] out);
}
