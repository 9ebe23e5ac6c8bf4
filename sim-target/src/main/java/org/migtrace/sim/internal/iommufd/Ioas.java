package org.migtrace.sim.internal.iommufd;

import java.util.ArrayList;
import java.util.List;

/**
 * An I/O address space ({@code struct iommufd_ioas}, {@code ioas.c}): an {@link IoPagetable} and
 * the paging HWPTs built on it ({@code hwpt_list}, in creation order). Each HWPT holds a user of
 * the IOAS, so an IOAS with HWPTs cannot be destroyed.
 */
final class Ioas extends IommufdObject {
    private final IommufdCtx ictx;
    private final IoPagetable iopt = new IoPagetable();
    private final List<Hwpt> hwpts = new ArrayList<>();

    Ioas(IommufdCtx ictx) {
        super(Type.IOAS);
        this.ictx = ictx;
    }

    IoPagetable iopt() {
        return iopt;
    }

    /** {@code ioas->hwpt_list}. */
    List<Hwpt> hwpts() {
        return hwpts;
    }

    /** {@code iommufd_ioas_destroy}: unmap everything; the compat IOAS pointer is dropped with it. */
    @Override
    void destroy() {
        iopt.unmap(0, -1L, new long[1]);
        ictx.forgetCompatIoas(this);
    }
}
