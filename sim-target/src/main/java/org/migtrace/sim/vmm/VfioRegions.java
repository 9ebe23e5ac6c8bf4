package org.migtrace.sim.vmm;

import static org.migtrace.uapi.Structs.VFIO_INFO_CAP_HEADER;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO_CAP_TYPE_STRUCT;
import static org.migtrace.uapi.Structs.VFIO_REGION_SPARSE_MMAP_AREA;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/**
 * QEMU's region discovery on a device fd ({@code hw/vfio/common.c}: {@code vfio_get_region_info},
 * {@code vfio_get_region_info_cap}, {@code vfio_get_dev_region_info}), through the syscall boundary.
 */
public final class VfioRegions {
    private VfioRegions() {
    }

    /** One capability of a region's info chain, found at {@code offset} in the returned buffer. */
    public record Cap(int id, int version, int offset, byte[] bytes) {
    }

    /**
     * {@code struct vfio_region_info} as returned (with its capability chain when {@code FLAG_CAPS}),
     * or the failure {@code ret < 0} of the ioctl (then the other members are 0).
     */
    public record Info(long ret, int index, int flags, long size, long offset, List<Cap> caps) {
        /** {@code vfio_get_region_info_cap}: the first capability with this id, or null. */
        public Cap cap(int id) {
            for (Cap c : caps) {
                if (c.id() == id) {
                    return c;
                }
            }
            return null;
        }

        /** {@code {type, subtype}} of the type capability, or null. */
        public long[] type() {
            Cap c = cap(Structs.VFIO_REGION_INFO_CAP_TYPE);
            if (c == null) {
                return null;
            }
            return new long[] {VFIO_REGION_INFO_CAP_TYPE_STRUCT.field("type").get(c.bytes(), 0),
                VFIO_REGION_INFO_CAP_TYPE_STRUCT.field("subtype").get(c.bytes(), 0)};
        }

        /** The sparse-mmap areas as {@code {offset, size}}; empty without that capability. */
        public List<long[]> sparseAreas() {
            Cap c = cap(Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP);
            List<long[]> out = new ArrayList<>();
            if (c == null) {
                return out;
            }
            int head = VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT.size();
            int n = (int) VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT.field("nr_areas").get(c.bytes(), 0);
            for (int i = 0; i < n; i++) {
                int at = head + i * VFIO_REGION_SPARSE_MMAP_AREA.size();
                out.add(new long[] {VFIO_REGION_SPARSE_MMAP_AREA.field("offset").get(c.bytes(), at),
                    VFIO_REGION_SPARSE_MMAP_AREA.field("size").get(c.bytes(), at)});
            }
            return out;
        }
    }

    /**
     * {@code vfio_get_region_info}: the ioctl with {@code argsz = sizeof(struct vfio_region_info)},
     * repeated with the larger {@code argsz} the kernel asks for when a capability chain follows.
     */
    public static Info get(SimThread t, int fd, int index) {
        int argsz = VFIO_REGION_INFO.size();
        while (true) {
            try (UStruct info = new UStruct(t.process().memory(), VFIO_REGION_INFO, argsz - VFIO_REGION_INFO.size())) {
                info.set("argsz", argsz).set("index", index);
                long ret = t.ioctl(fd, Ioctl.VFIO_DEVICE_GET_REGION_INFO.number(), info.addr());
                if (ret < 0) {
                    return new Info(ret, index, 0, 0, 0, List.of());
                }
                if (info.get("argsz") <= argsz) {
                    return decode(index, info.bytes());
                }
                argsz = (int) info.get("argsz");
            }
        }
    }

    /**
     * {@code vfio_get_dev_region_info(type, subtype)}: {@code VFIO_DEVICE_GET_INFO} for the number of
     * regions, then every index from 0 (regions whose info fails or that have no type capability are
     * skipped); the first match, or an {@link Info} with {@code ret = -ENODEV}.
     */
    public static Info findByType(SimThread t, int fd, long type, long subtype) {
        DeviceCalls.DeviceInfo info = new DeviceCalls(t, fd).info();
        if (info.ret() < 0) {
            return new Info(info.ret(), -1, 0, 0, 0, List.of());
        }
        for (int i = 0; i < info.numRegions(); i++) {
            Info r = get(t, fd, i);
            long[] ts = r.ret() < 0 ? null : r.type();
            if (ts != null && ts[0] == type && ts[1] == subtype) {
                return r;
            }
        }
        return new Info(Errno.ENODEV.ret(), -1, 0, 0, 0, List.of());
    }

    /** The chain walk of {@code vfio_get_region_info_cap}: from {@code cap_offset} along {@code next} until 0. */
    private static Info decode(int index, byte[] b) {
        int flags = (int) VFIO_REGION_INFO.field("flags").get(b, 0);
        List<Cap> caps = new ArrayList<>();
        if ((flags & Structs.VFIO_REGION_INFO_FLAG_CAPS) != 0) {
            int at = (int) VFIO_REGION_INFO.field("cap_offset").get(b, 0);
            while (at != 0 && at + VFIO_INFO_CAP_HEADER.size() <= b.length && caps.size() < 64) {
                int next = (int) VFIO_INFO_CAP_HEADER.field("next").get(b, at);
                byte[] cap = Arrays.copyOfRange(b, at, next > at ? next : b.length);
                caps.add(new Cap((int) VFIO_INFO_CAP_HEADER.field("id").get(b, at),
                        (int) VFIO_INFO_CAP_HEADER.field("version").get(b, at), at, cap));
                at = next;
            }
        }
        return new Info(0, index, flags, VFIO_REGION_INFO.field("size").get(b, 0),
                VFIO_REGION_INFO.field("offset").get(b, 0), List.copyOf(caps));
    }
}
