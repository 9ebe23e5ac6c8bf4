package org.migtrace.replay.variant;

import com.fasterxml.jackson.databind.JsonNode;
import org.migtrace.replay.spi.Outcome;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * The dirty bitmap's expected size is computed in bytes (one bit per page, rounded up to a byte)
 * instead of in 64-bit words, so a correctly sized request — {@code vfio_bitmap.size} a whole number
 * of u64, as type1 requires ({@code vfio_iommu_type1.c: verify_bitmap_size},
 * {@code DIRTY_BITMAP_BYTES}) — is refused with EINVAL whenever the range's page count is not a
 * multiple of 64 (and the two roundings differ). Reported as libvfio-user #374; the fix rounds to
 * u64 as the kernel does.
 */
public final class BitmapSizedInBytes extends Variant {
    @Override
    public String name() {
        return "bitmap-bytes";
    }

    @Override
    public String description() {
        return "dirty bitmap size checked in bytes, not u64 words: correct GET_BITMAP/UNMAP requests fail (libvfio-user #374)";
    }

    @Override
    public String bug() {
        return "libvfio-user #374";
    }

    @Override
    protected Behaviour behaviour() {
        return (s, ref) -> {
            if (s.isSyscall() && refuses(s.event())) {
                return new Outcome(Errno.EINVAL.ret(), java.util.List.of(), null, java.util.Map.of());
            }
            return ref.apply(s);
        };
    }

    private static boolean refuses(RecordedEvent e) {
        JsonNode bitmap;
        long size;
        if ("VFIO_IOMMU_DIRTY_PAGES".equals(e.op()) && e.flags() != null
                && (e.flags() & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) != 0) {
            JsonNode data = Args.in(e).path("data");
            bitmap = data.path("bitmap");
            size = data.path("size").asLong();
        } else if ("VFIO_IOMMU_UNMAP_DMA".equals(e.op()) && e.flags() != null
                && (e.flags() & Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) != 0) {
            JsonNode in = Args.in(e);
            bitmap = in.path("data");
            size = in.path("size").asLong();
        } else {
            return false;
        }
        long pgsize = bitmap.path("pgsize").asLong();
        if (pgsize <= 0) {
            return false;
        }
        long pages = size / pgsize;
        long inBytes = (pages + 7) / 8;
        return bitmap.path("size").asLong() != inBytes;
    }
}
