package org.migtrace.sim.internal.vfio;

import java.util.List;
import org.migtrace.sim.internal.kernel.IovaBitmap;
import org.migtrace.sim.internal.kernel.KernelCtx;

/** Device DMA logging ({@code struct vfio_log_ops} in {@code include/linux/vfio.h}). */
public interface LogOps {
    /**
     * {@code log_start}: track DMA writes to {@code ranges} (validated by the core: aligned,
     * non-overlapping, at most 256). The driver may change the page size: {@code pageSize[0]} in
     * and out. 0 or {@code -errno}.
     */
    long logStart(KernelCtx ctx, List<IovaRange> ranges, long[] pageSize);

    /** {@code log_stop}: 0 or {@code -errno}. */
    long logStop(KernelCtx ctx);

    /**
     * {@code log_read_and_clear}: report the writes logged in {@code [iova, iova + length)} into
     * {@code bitmap} (with {@link IovaBitmap#set}) and forget them. 0 or {@code -errno}.
     */
    long logReadAndClear(KernelCtx ctx, long iova, long length, IovaBitmap bitmap);
}
