package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The IOMMU: which backend the VMM uses for devices that do not override it, and what the IOMMU
 * hardware can do.
 *
 * @param backend        type1 or iommufd; default type1
 * @param dirtyTracking  whether the hardware keeps IOPTE dirty bits (IOMMUFD's
 *                       {@code IOMMU_HW_CAP_DIRTY_TRACKING}); default true
 * @param pageSizes      the IOMMU page sizes; must include 4KiB; default [4KiB, 2MiB, 1GiB]
 */
public record IommuSpec(
        @JsonProperty("backend") IommuBackend backend,
        @JsonProperty("dirty-tracking") Boolean dirtyTracking,
        @JsonProperty("page-sizes") List<ByteSize> pageSizes) {

    public static final IommuSpec DEFAULT = new IommuSpec(null, null, null);

    public IommuSpec {
        backend = backend == null ? IommuBackend.TYPE1 : backend;
        dirtyTracking = dirtyTracking == null ? Boolean.TRUE : dirtyTracking;
        pageSizes = pageSizes == null ? List.of(ByteSize.SZ_4K, ByteSize.SZ_2M, ByteSize.SZ_1G) : List.copyOf(pageSizes);
        for (int i = 0; i < pageSizes.size(); i++) {
            InvalidFieldException.require(pageSizes.get(i).isPowerOfTwo(), "page-sizes[" + i + "]",
                    pageSizes.get(i) + " is not a power of two");
        }
        InvalidFieldException.require(pageSizes.contains(ByteSize.SZ_4K), "page-sizes",
                "must include 4KiB (the smallest page the simulated IOMMUs map)");
    }

    /** The page sizes as the kernel's {@code pgsize_bitmap}. */
    public long pgsizeBitmap() {
        long m = 0;
        for (ByteSize s : pageSizes) {
            m |= s.bytes();
        }
        return m;
    }
}
