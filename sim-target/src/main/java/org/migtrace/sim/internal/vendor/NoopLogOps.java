package org.migtrace.sim.internal.vendor;

import java.util.List;
import org.migtrace.sim.internal.kernel.IovaBitmap;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.LogOps;

/**
 * mtty's DMA logging ops ({@code mtty_log_start}, {@code mtty_log_stop},
 * {@code mtty_log_read_and_clear}): every call succeeds, the page size is left as asked, and no
 * bit is ever reported (mtty does no DMA). The VFIO core's own checks still apply.
 */
final class NoopLogOps implements LogOps {
    static final NoopLogOps INSTANCE = new NoopLogOps();

    private NoopLogOps() {
    }

    @Override
    public long logStart(KernelCtx ctx, List<IovaRange> ranges, long[] pageSize) {
        return 0;
    }

    @Override
    public long logStop(KernelCtx ctx) {
        return 0;
    }

    @Override
    public long logReadAndClear(KernelCtx ctx, long iova, long length, IovaBitmap bitmap) {
        return 0;
    }
}
