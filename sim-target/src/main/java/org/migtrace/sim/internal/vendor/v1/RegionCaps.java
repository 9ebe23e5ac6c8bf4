package org.migtrace.sim.internal.vendor.v1;

import static org.migtrace.uapi.Structs.VFIO_INFO_CAP_HEADER;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO_CAP_TYPE_STRUCT;
import static org.migtrace.uapi.Structs.VFIO_REGION_SPARSE_MMAP_AREA;

import java.util.List;
import org.migtrace.sim.internal.vfio.InfoCaps;
import org.migtrace.uapi.Structs;

/**
 * Region-info capabilities as {@code vfio_info_add_capability} lays them out: each starts with a
 * {@code vfio_info_cap_header} ({@link InfoCaps#create}; {@code next} is linked by the core).
 */
final class RegionCaps {
    private RegionCaps() {
    }

    /** {@code struct vfio_region_info_cap_type}. */
    static byte[] type(int type, int subtype) {
        byte[] b = InfoCaps.create(VFIO_REGION_INFO_CAP_TYPE_STRUCT.size(), Structs.VFIO_REGION_INFO_CAP_TYPE);
        VFIO_REGION_INFO_CAP_TYPE_STRUCT.field("type").put(b, 0, type);
        VFIO_REGION_INFO_CAP_TYPE_STRUCT.field("subtype").put(b, 0, subtype);
        return b;
    }

    /** {@code struct vfio_region_info_cap_sparse_mmap} with its areas, each {@code {offset, size}}. */
    static byte[] sparseMmap(List<long[]> areas) {
        int head = VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT.size();
        int area = VFIO_REGION_SPARSE_MMAP_AREA.size();
        byte[] b = InfoCaps.create(head + areas.size() * area, Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP);
        VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT.field("nr_areas").put(b, 0, areas.size());
        for (int i = 0; i < areas.size(); i++) {
            VFIO_REGION_SPARSE_MMAP_AREA.field("offset").put(b, head + i * area, areas.get(i)[0]);
            VFIO_REGION_SPARSE_MMAP_AREA.field("size").put(b, head + i * area, areas.get(i)[1]);
        }
        return b;
    }

    /** A capability that is only its header, such as {@code VFIO_REGION_INFO_CAP_MIG_NDMA}. */
    static byte[] headerOnly(int id) {
        return InfoCaps.create(VFIO_INFO_CAP_HEADER.size(), id);
    }
}
