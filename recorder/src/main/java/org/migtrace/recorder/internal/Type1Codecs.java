package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.ARGSZ;
import static org.migtrace.trace.EventColumn.FLAGS;
import static org.migtrace.trace.EventColumn.IOVA;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.PAGE_SIZE;

import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The two type1 ioctls whose struct is followed by a second one in its {@code data[]}:
 * {@code VFIO_IOMMU_DIRTY_PAGES} (the GET_BITMAP range and {@code vfio_bitmap} after the
 * {@code vfio_iommu_type1_dirty_bitmap} header) and {@code VFIO_IOMMU_UNMAP_DMA} (a
 * {@code vfio_bitmap} after {@code vfio_iommu_type1_dma_unmap} with GET_DIRTY_BITMAP). The second
 * struct is decoded as far as {@code argsz} covers it and shown as {@code data}.
 */
public final class Type1Codecs {
    private Type1Codecs() {
    }

    /** {@code VFIO_IOMMU_DIRTY_PAGES}: START, STOP, or GET_BITMAP of a range into a user bitmap. */
    public static IoctlCodec dirtyPages() {
        StructLayout head = Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP;
        StructLayout get = Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;
        return (mem, arg, call) -> {
            Map<String, Object> in = header(mem, arg, head, call);
            Long flags = in == null ? null : StructValues.raw(in.get("flags"));
            if (flags == null || (flags & Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP) == 0) {
                return;
            }
            Map<String, Object> data = trailer(mem, arg, head.size(), StructValues.raw(in.get("argsz")), get);
            if (data == null) {
                return;
            }
            in.put("data", data);
            call.columnFrom(IOVA, data, "iova").columnFrom(LENGTH, data, "size");
            if (data.get("bitmap") instanceof Map<?, ?> bitmap) {
                @SuppressWarnings("unchecked")
                Map<String, Object> bm = (Map<String, Object>) bitmap;
                call.columnFrom(PAGE_SIZE, bm, "pgsize")
                        .bitmapFrom(data.get("iova"), data.get("size"), bm.get("pgsize"), bm.get("data"));
            }
        };
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA}: the size actually unmapped comes back in {@code size}. */
    public static IoctlCodec unmapDma() {
        StructLayout unmap = Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;
        return new IoctlCodec() {
            @Override
            public void enter(UserBytes mem, long arg, CallArgs call) {
                Map<String, Object> in = header(mem, arg, unmap, call);
                if (in == null) {
                    return;
                }
                call.columnFrom(IOVA, in, "iova").columnFrom(LENGTH, in, "size");
                Long flags = StructValues.raw(in.get("flags"));
                if (flags == null || (flags & Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP) == 0) {
                    return;
                }
                Map<String, Object> data = trailer(mem, arg, unmap.size(), StructValues.raw(in.get("argsz")),
                        Structs.VFIO_BITMAP);
                if (data != null) {
                    in.put("data", data);
                    call.columnFrom(PAGE_SIZE, data, "pgsize")
                            .bitmapFrom(in.get("iova"), in.get("size"), data.get("pgsize"), data.get("data"));
                }
            }

            @Override
            public void exit(UserBytes mem, long arg, long ret, CallArgs call) {
                if (ret < 0 || call.available() < unmap.offsetOfEnd("size")) {
                    return;
                }
                byte[] b = mem.read(arg, unmap.size());
                if (b != null) {
                    call.out().put("size", StructValues.unsigned(unmap.field("size").get(b, 0)));
                }
            }
        };
    }

    /** The leading struct within {@code argsz}, with the argsz and flags columns; null on a fault. */
    private static Map<String, Object> header(UserBytes mem, long arg, StructLayout layout, CallArgs call) {
        byte[] b = mem.sized(arg, layout.size());
        if (b == null) {
            return null;
        }
        call.available(b.length);
        Map<String, Object> in = call.in();
        in.putAll(StructValues.decode(layout, b, 0, b.length));
        call.columnFrom(ARGSZ, in, "argsz").columnFrom(FLAGS, in, "flags");
        return in;
    }

    /** The struct in {@code data[]} at {@code offset}, within {@code argsz}; null when it faults. */
    private static Map<String, Object> trailer(UserBytes mem, long arg, int offset, Long argsz, StructLayout layout) {
        int available = argsz == null ? 0 : (int) Math.max(0, Math.min(argsz - offset, layout.size()));
        if (available == 0) {
            return new LinkedHashMap<>();
        }
        byte[] b = mem.read(arg + offset, available);
        return b == null ? null : StructValues.decode(layout, b, 0, available);
    }
}
