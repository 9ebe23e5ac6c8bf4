package org.migtrace.replay.kernel;

import static org.migtrace.uapi.Structs.IOMMU_HWPT_GET_DIRTY_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;
import static org.migtrace.uapi.Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.replay.spi.PageRuns;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * Lays a recorded ioctl's argument out in the replay process's memory, byte for byte as the VMM
 * had it: the struct from {@code args.in} by C member name (the inverse of the recorder's
 * decoders, with the same {@code uapi.Structs} layouts), arrays from {@code *member}, fds and user
 * addresses translated, dirty bitmaps in buffers kept per recorded address. After the call it reads
 * back what the recording compares: the returned bitmap and the output values.
 */
final class IoctlArgs {
    /** Ioctls whose argument is one struct of this layout (sized by argsz when larger). */
    private static final Map<Ioctl, StructLayout> PLAIN = new EnumMap<>(Ioctl.class);

    static {
        PLAIN.put(Ioctl.VFIO_GROUP_GET_STATUS, Structs.VFIO_GROUP_STATUS);
        PLAIN.put(Ioctl.VFIO_IOMMU_GET_INFO, Structs.VFIO_IOMMU_TYPE1_INFO);
        PLAIN.put(Ioctl.VFIO_IOMMU_MAP_DMA, Structs.VFIO_IOMMU_TYPE1_DMA_MAP);
        PLAIN.put(Ioctl.VFIO_DEVICE_GET_INFO, Structs.VFIO_DEVICE_INFO);
        PLAIN.put(Ioctl.VFIO_DEVICE_GET_REGION_INFO, Structs.VFIO_REGION_INFO);
        PLAIN.put(Ioctl.VFIO_DEVICE_BIND_IOMMUFD, Structs.VFIO_DEVICE_BIND_IOMMUFD);
        PLAIN.put(Ioctl.VFIO_DEVICE_ATTACH_IOMMUFD_PT, Structs.VFIO_DEVICE_ATTACH_IOMMUFD_PT);
        PLAIN.put(Ioctl.VFIO_DEVICE_DETACH_IOMMUFD_PT, Structs.VFIO_DEVICE_DETACH_IOMMUFD_PT);
        PLAIN.put(Ioctl.VFIO_MIG_GET_PRECOPY_INFO, Structs.VFIO_PRECOPY_INFO);
        PLAIN.put(Ioctl.IOMMU_DESTROY, Structs.IOMMU_DESTROY);
        PLAIN.put(Ioctl.IOMMU_IOAS_ALLOC, Structs.IOMMU_IOAS_ALLOC);
        PLAIN.put(Ioctl.IOMMU_IOAS_ALLOW_IOVAS, Structs.IOMMU_IOAS_ALLOW_IOVAS);
        PLAIN.put(Ioctl.IOMMU_IOAS_COPY, Structs.IOMMU_IOAS_COPY);
        PLAIN.put(Ioctl.IOMMU_IOAS_IOVA_RANGES, Structs.IOMMU_IOAS_IOVA_RANGES);
        PLAIN.put(Ioctl.IOMMU_IOAS_MAP, Structs.IOMMU_IOAS_MAP);
        PLAIN.put(Ioctl.IOMMU_IOAS_UNMAP, Structs.IOMMU_IOAS_UNMAP);
        PLAIN.put(Ioctl.IOMMU_OPTION, Structs.IOMMU_OPTION);
        PLAIN.put(Ioctl.IOMMU_VFIO_IOAS, Structs.IOMMU_VFIO_IOAS);
        PLAIN.put(Ioctl.IOMMU_HWPT_ALLOC, Structs.IOMMU_HWPT_ALLOC);
        PLAIN.put(Ioctl.IOMMU_GET_HW_INFO, Structs.IOMMU_HW_INFO);
        PLAIN.put(Ioctl.IOMMU_HWPT_SET_DIRTY_TRACKING, Structs.IOMMU_HWPT_SET_DIRTY_TRACKING);
        PLAIN.put(Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP, IOMMU_HWPT_GET_DIRTY_BITMAP);
    }

    /** Where a call's dirty bitmap is: the replay buffer and the range it covers. */
    record BitmapAt(long addr, long iova, long length, long pageSize) {
    }

    private final VmmProcess proc;
    private final RecordedEvent event;
    private final Ioctl ioctl;
    private final JsonNode in;
    private long structAddr;
    private StructLayout dataLayout;
    private BitmapAt bitmap;

    IoctlArgs(VmmProcess proc, RecordedEvent event, Ioctl ioctl) {
        this.proc = proc;
        this.event = event;
        this.ioctl = ioctl;
        JsonNode args = Json.parse(event.args());
        this.in = args.path("in");
    }

    /** The third argument of {@code ioctl(2)}: a value, or the address of what was laid out. */
    long encode() {
        switch (ioctl) {
            case VFIO_CHECK_EXTENSION:
                return Json.num(in, "extension", 0);
            case VFIO_SET_IOMMU:
                return Json.num(in, "type", 0);
            case VFIO_GROUP_SET_CONTAINER: {
                long p = proc.callBuffer(4);
                proc.mem().putLong(p, proc.fd((int) Json.num(in, "container_fd", -1)) & 0xFFFF_FFFFL);
                return p;
            }
            case VFIO_GROUP_GET_DEVICE_FD: {
                String name = in.path("name").asText(event.device() == null ? "" : event.device());
                byte[] b = name.getBytes(StandardCharsets.UTF_8);
                long p = proc.callBuffer(b.length + 1L);
                proc.mem().write(p, b, 0, b.length);
                return p;
            }
            case VFIO_DEVICE_FEATURE:
                return feature();
            case VFIO_IOMMU_DIRTY_PAGES:
                return dirtyPages();
            case VFIO_IOMMU_UNMAP_DMA:
                return unmapDma();
            default:
                StructLayout l = PLAIN.get(ioctl);
                if (l == null) {
                    return 0; // no argument (GET_API_VERSION, RESET, UNSET_CONTAINER) or not modelled
                }
                return plain(l);
        }
    }

    private long plain(StructLayout l) {
        long argsz = event.argsz() == null ? l.size() : event.argsz();
        byte[] b = new byte[(int) Math.max(l.size(), Math.min(argsz, 1 << 20))];
        fill(l, in, b, 0);
        switch (ioctl) {
            case VFIO_IOMMU_MAP_DMA -> put(l, b, 0, "vaddr", proc.userAddress(Json.num(in, "vaddr", 0),
                    Json.num(in, "size", 0)));
            case IOMMU_IOAS_MAP -> put(l, b, 0, "user_va", proc.userAddress(Json.num(in, "user_va", 0),
                    Json.num(in, "length", 0)));
            case VFIO_DEVICE_BIND_IOMMUFD -> put(l, b, 0, "iommufd", proc.fd((int) Json.num(in, "iommufd", -1)));
            case IOMMU_GET_HW_INFO -> {
                long len = Json.num(in, "data_len", 0);
                put(l, b, 0, "data_uptr", len > 0 ? proc.callBuffer(len) : 0);
            }
            case IOMMU_IOAS_ALLOW_IOVAS, IOMMU_IOAS_IOVA_RANGES -> put(l, b, 0, "allowed_iovas",
                    array(in.path("*allowed_iovas"), Structs.IOMMU_IOVA_RANGE, Json.num(in, "num_iovas", 0)));
            case IOMMU_HWPT_GET_DIRTY_BITMAP -> {
                bitmap = bitmapAt(Json.num(in, "data", 0), Json.num(in, "iova", 0), Json.num(in, "length", 0),
                        Json.num(in, "page_size", 0));
                put(l, b, 0, "data", bitmap.addr());
            }
            default -> {
            }
        }
        return place(b);
    }

    private long feature() {
        long flags = Json.num(in, "flags", event.flags() == null ? 0 : event.flags());
        long argsz = Json.num(in, "argsz", event.argsz() == null ? VFIO_DEVICE_FEATURE.size() : event.argsz());
        int head = VFIO_DEVICE_FEATURE.size();
        dataLayout = DeviceFeature.of(flags & DeviceFeature.MASK).map(IoctlArgs::featureData).orElse(null);
        int dataSize = dataLayout == null || (flags & DeviceFeature.PROBE) != 0 ? 0 : dataLayout.size();
        byte[] b = new byte[(int) Math.max(head + dataSize, Math.min(argsz, 1 << 20))];
        fill(VFIO_DEVICE_FEATURE, in, b, 0);
        JsonNode data = in.path("data");
        if (dataSize > 0 && data.isObject()) {
            fill(dataLayout, data, b, head);
            if (dataLayout == VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL) {
                put(dataLayout, b, head, "ranges", array(data.path("*ranges"), VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE,
                        Json.num(data, "num_ranges", 0)));
            } else if (dataLayout == VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT) {
                bitmap = bitmapAt(Json.num(data, "bitmap", 0), Json.num(data, "iova", 0), Json.num(data, "length", 0),
                        Json.num(data, "page_size", 0));
                put(dataLayout, b, head, "bitmap", bitmap.addr());
            } else if (dataLayout == Structs.VFIO_DEVICE_FEATURE_MIG_STATE) {
                long fd = Json.num(data, "data_fd", -1);
                put(dataLayout, b, head, "data_fd", fd < 0 ? fd : proc.fd((int) fd));
            }
        }
        return place(b);
    }

    private static StructLayout featureData(DeviceFeature f) {
        return switch (f) {
            case MIGRATION -> Structs.VFIO_DEVICE_FEATURE_MIGRATION;
            case MIG_DEVICE_STATE -> Structs.VFIO_DEVICE_FEATURE_MIG_STATE;
            case DMA_LOGGING_START -> VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
            case DMA_LOGGING_REPORT -> VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
            case MIG_DATA_SIZE -> Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE;
            default -> null;
        };
    }

    private long dirtyPages() {
        return withBitmap(VFIO_IOMMU_TYPE1_DIRTY_BITMAP, Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP,
                VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET, "bitmap.", true);
    }

    private long unmapDma() {
        return withBitmap(VFIO_IOMMU_TYPE1_DMA_UNMAP, Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP, VFIO_BITMAP, "",
                false);
    }

    /**
     * A type1 header followed, when {@code getFlag} is set, by {@code tail} from {@code in.data}: the
     * {@code vfio_bitmap} fields are named {@code prefix + "data"} and {@code prefix + "pgsize"}, and the
     * range's {@code iova} and {@code size} are read from {@code data} ({@code rangeInData}) or {@code in}.
     */
    private long withBitmap(StructLayout head, long getFlag, StructLayout tail, String prefix, boolean rangeInData) {
        long argsz = Json.num(in, "argsz", head.size());
        long flags = Json.num(in, "flags", 0);
        boolean get = (flags & getFlag) != 0;
        byte[] b = new byte[(int) Math.max(head.size() + (get ? tail.size() : 0), Math.min(argsz, 1 << 20))];
        fill(head, in, b, 0);
        JsonNode data = in.path("data");
        if (get && data.isObject()) {
            fill(tail, data, b, head.size());
            JsonNode range = rangeInData ? data : in;
            bitmap = bitmapAt(Json.num(data, prefix + "data", 0), Json.num(range, "iova", 0), Json.num(range, "size", 0),
                    Json.num(data, prefix + "pgsize", 0));
            put(tail, b, head.size(), prefix + "data", bitmap.addr());
        }
        return place(b);
    }

    private BitmapAt bitmapAt(long recordedAddr, long iova, long length, long pageSize) {
        if (recordedAddr == 0) {
            return new BitmapAt(0, iova, length, pageSize);
        }
        long pages = pageSize > 0 && Long.bitCount(pageSize) == 1 ? Long.divideUnsigned(length, pageSize) : 0;
        long bytes = Math.min(((pages + 63) / 64) * 8, 1L << 30);
        // The page offset is kept: the kernel maps the user bitmap page by page (iova_bitmap.c), so
        // where in its page a bitmap starts can change what the kernel does.
        long offset = recordedAddr & (UserMemory.PAGE_SIZE - 1);
        long addr = proc.bitmapBuffer(recordedAddr - offset, Math.max(8, bytes + offset + 8), event.object());
        return new BitmapAt(addr + offset, iova, length, pageSize);
    }

    private long array(JsonNode elements, StructLayout element, long count) {
        int n = (int) Math.max(0, Math.min(count, 1 << 16));
        if (n == 0) {
            return 0;
        }
        byte[] b = new byte[n * element.size()];
        for (int i = 0; i < n && i < elements.size(); i++) {
            fill(element, elements.get(i), b, i * element.size());
        }
        return place(b);
    }

    private long place(byte[] b) {
        structAddr = proc.callBuffer(b.length);
        proc.mem().write(structAddr, b, 0, b.length);
        return structAddr;
    }

    private void fill(StructLayout l, JsonNode values, byte[] b, int base) {
        proc.images.fill(l, values, b, base);
    }

    private static void put(StructLayout l, byte[] b, int base, String field, long value) {
        StructLayout.Field f = l.field(field);
        if (base + f.end() <= b.length) {
            f.put(b, base, value);
        }
    }

    // ---- after the call

    /** The dirty bitmap the call returned (absolute pages), or null when it returns none. */
    PageRuns bitmap(long ret) {
        if (bitmap == null || ret < 0 || bitmap.addr() == 0 || bitmap.pageSize() <= 0
                || Long.bitCount(bitmap.pageSize()) != 1) {
            return null;
        }
        long pages = Long.divideUnsigned(bitmap.length(), bitmap.pageSize());
        long base = Long.divideUnsigned(bitmap.iova(), bitmap.pageSize());
        PageRuns.Builder runs = new PageRuns.Builder();
        long words = (pages + 63) / 64;
        byte[] chunk = new byte[8 * 4096];
        for (long w = 0; w < words; w += 4096) {
            int n = (int) Math.min(4096, words - w);
            if (!proc.mem().read(bitmap.addr() + w * 8, chunk, 0, n * 8)) {
                break;
            }
            for (int i = 0; i < n; i++) {
                long word = 0;
                for (int k = 7; k >= 0; k--) {
                    word = (word << 8) | (chunk[i * 8 + k] & 0xFF);
                }
                long first = (w + i) * 64;
                if (first + 64 > pages) {
                    word &= pages - first >= 64 ? -1L : (1L << (pages - first)) - 1;
                }
                if (word != 0) {
                    runs.addWord(base + first, word);
                }
            }
        }
        return runs.build();
    }

    /** The output values the recording keeps for this call, by column name. */
    Map<String, String> values(long ret) {
        if (ret < 0 || structAddr == 0) {
            return Map.of();
        }
        if (ioctl == Ioctl.VFIO_MIG_GET_PRECOPY_INFO) {
            StructLayout l = Structs.VFIO_PRECOPY_INFO;
            byte[] b = proc.mem().copyFrom(structAddr, l.size());
            return Map.of("initial_bytes", Long.toString(l.field("initial_bytes").get(b, 0)),
                    "dirty_bytes", Long.toString(l.field("dirty_bytes").get(b, 0)));
        }
        if (ioctl != Ioctl.VFIO_DEVICE_FEATURE || dataLayout == null) {
            return Map.of(); // most calls keep none
        }
        long flags = Json.num(in, "flags", 0);
        if ((flags & DeviceFeature.PROBE) != 0) {
            return Map.of();
        }
        Map<String, String> v = new TreeMap<>();
        byte[] b = proc.mem().copyFrom(structAddr + VFIO_DEVICE_FEATURE.size(), dataLayout.size());
        if (dataLayout == Structs.VFIO_DEVICE_FEATURE_MIG_STATE) {
            long state = dataLayout.field("device_state").get(b, 0);
            v.put("to_state", MigState.of(state).map(Enum::name).orElse(Long.toString(state)));
            if ((flags & DeviceFeature.SET) != 0) {
                v.put("data_fd", Long.toString(dataLayout.field("data_fd").get(b, 0)));
            }
        } else if (dataLayout == Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE) {
            v.put("stop_copy_length", Long.toString(dataLayout.field("stop_copy_length").get(b, 0)));
        }
        return v;
    }
}
