package org.migtrace.recorder.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The capability chains that {@code VFIO_DEVICE_GET_REGION_INFO} and {@code VFIO_IOMMU_GET_INFO}
 * return after their struct ({@code vfio_info_cap_header} linked by {@code next}, offsets from the
 * start of the user buffer), decoded by C member name where migtrace knows the capability; the
 * header alone otherwise. The walk stays inside the bytes the caller provided and stops after 64
 * capabilities, so a corrupt chain cannot loop.
 */
public final class CapChains {
    private static final int MAX_CAPS = 64;
    private static final StructLayout HEADER = Structs.VFIO_INFO_CAP_HEADER;

    /** Which struct's capability ids to use. */
    public enum Family {
        /** {@code VFIO_REGION_INFO_CAP_*}. */
        REGION,
        /** {@code VFIO_IOMMU_TYPE1_INFO_CAP_*}. */
        IOMMU
    }

    private CapChains() {
    }

    /** The chain starting at {@code first} in {@code buf}; empty for 0. */
    public static List<Map<String, Object>> decode(Family family, byte[] buf, long first) {
        List<Map<String, Object>> caps = new ArrayList<>();
        long at = first;
        while (at != 0 && at >= 0 && at + HEADER.size() <= buf.length && caps.size() < MAX_CAPS) {
            int off = (int) at;
            caps.add(decodeOne(family, buf, off));
            long next = HEADER.field("next").get(buf, off);
            at = next > at ? next : 0; // the kernel only ever links forward
        }
        return caps;
    }

    /** The region type capability's {@code {type, subtype}} in a decoded chain, or null. */
    public static long[] regionType(List<Map<String, Object>> caps) {
        for (Map<String, Object> c : caps) {
            if (c.get("type") instanceof Long t && c.get("subtype") instanceof Long s) {
                return new long[] {t, s};
            }
        }
        return null;
    }

    private static Map<String, Object> decodeOne(Family family, byte[] buf, int off) {
        int id = (int) HEADER.field("id").get(buf, off);
        int room = buf.length - off;
        StructLayout layout = layout(family, id);
        if (layout == null) {
            return StructValues.decode(HEADER, buf, off, room);
        }
        Map<String, Object> cap = StructValues.decode(layout, buf, off, room);
        if (family == Family.REGION && id == Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
            cap.put("areas", array(buf, off + layout.size(), cap.get("nr_areas"), Structs.VFIO_REGION_SPARSE_MMAP_AREA));
        } else if (family == Family.IOMMU && id == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
            cap.put("iova_ranges", array(buf, off + layout.size(), cap.get("nr_iovas"), Structs.VFIO_IOVA_RANGE));
        }
        return cap;
    }

    private static StructLayout layout(Family family, int id) {
        if (family == Family.REGION) {
            return id == Structs.VFIO_REGION_INFO_CAP_TYPE ? Structs.VFIO_REGION_INFO_CAP_TYPE_STRUCT
                    : id == Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP ? Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT
                    : null;
        }
        return id == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION ? Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT
                : id == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE ? Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT
                : id == Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL ? Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT
                : null;
    }

    /** Up to {@code count} elements of {@code element} from {@code at}, as far as the buffer holds them. */
    private static List<Map<String, Object>> array(byte[] buf, int at, Object count, StructLayout element) {
        List<Map<String, Object>> out = new ArrayList<>();
        long n = count instanceof Long c ? c : 0;
        for (long i = 0; i < n && i < MAX_CAPS && at + (i + 1) * element.size() <= buf.length; i++) {
            out.add(new LinkedHashMap<>(StructValues.decode(element, buf, at + (int) i * element.size(), element.size())));
        }
        return out;
    }
}
