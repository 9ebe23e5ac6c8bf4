package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.DIRTY_BYTES;
import static org.migtrace.trace.EventColumn.FLAGS;
import static org.migtrace.trace.EventColumn.INITIAL_BYTES;
import static org.migtrace.trace.EventColumn.IOVA;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.PAGE_SIZE;
import static org.migtrace.trace.EventColumn.VADDR;

import java.util.EnumMap;
import java.util.Map;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/**
 * The decoder of every ioctl migtrace models, by ioctl. Ioctls without an argument
 * ({@code VFIO_GET_API_VERSION}, {@code VFIO_DEVICE_RESET}, {@code VFIO_GROUP_UNSET_CONTAINER}) and
 * those without a struct layout in {@code uapi} (IRQ, hot reset, graphics, EEH, ioeventfd) have
 * none: their rows carry the call itself, not its argument.
 *
 * <p>Which member fills which column: the size member is {@code argsz}; {@code flags} is the input
 * flags, except where the struct's flags are an output (group status, device, region and IOMMU
 * info, pre-copy info, and the MIGRATION feature's migration flags), where it is what the kernel
 * returned; IOVA, length, page size and user address are the call's range as passed (IOAS_MAP: the
 * IOVA the kernel chose).
 */
public final class IoctlCodecs {
    private static final Map<Ioctl, IoctlCodec> CODECS = new EnumMap<>(Ioctl.class);

    static {
        // container
        put(Ioctl.VFIO_CHECK_EXTENSION, ScalarArgs.value("extension"));
        put(Ioctl.VFIO_SET_IOMMU, ScalarArgs.value("type"));
        put(Ioctl.VFIO_IOMMU_GET_INFO, StructIoctl.of(Structs.VFIO_IOMMU_TYPE1_INFO)
                .out("argsz").out(FLAGS, "flags").out("iova_pgsizes", "cap_offset")
                .caps(CapChains.Family.IOMMU, Structs.VFIO_IOMMU_INFO_CAPS));
        put(Ioctl.VFIO_IOMMU_MAP_DMA, StructIoctl.of(Structs.VFIO_IOMMU_TYPE1_DMA_MAP)
                .in(FLAGS, "flags").in(VADDR, "vaddr").in(IOVA, "iova").in(LENGTH, "size"));
        put(Ioctl.VFIO_IOMMU_UNMAP_DMA, Type1Codecs.unmapDma());
        put(Ioctl.VFIO_IOMMU_DIRTY_PAGES, Type1Codecs.dirtyPages());
        // group
        put(Ioctl.VFIO_GROUP_GET_STATUS, StructIoctl.of(Structs.VFIO_GROUP_STATUS).out(FLAGS, "flags"));
        put(Ioctl.VFIO_GROUP_SET_CONTAINER, ScalarArgs.pointedInt("container_fd"));
        put(Ioctl.VFIO_GROUP_GET_DEVICE_FD, ScalarArgs.deviceName());
        // device
        put(Ioctl.VFIO_DEVICE_GET_INFO, StructIoctl.of(Structs.VFIO_DEVICE_INFO)
                .out("argsz").out(FLAGS, "flags").out("num_regions", "num_irqs", "cap_offset"));
        put(Ioctl.VFIO_DEVICE_GET_REGION_INFO, StructIoctl.of(Structs.VFIO_REGION_INFO)
                .out("argsz").out(FLAGS, "flags").out("cap_offset", "size", "offset")
                .caps(CapChains.Family.REGION, Structs.VFIO_REGION_INFO_FLAG_CAPS));
        put(Ioctl.VFIO_DEVICE_FEATURE, new FeatureCodec());
        put(Ioctl.VFIO_DEVICE_BIND_IOMMUFD, StructIoctl.of(Structs.VFIO_DEVICE_BIND_IOMMUFD).in(FLAGS, "flags")
                .out("out_devid"));
        put(Ioctl.VFIO_DEVICE_ATTACH_IOMMUFD_PT, StructIoctl.of(Structs.VFIO_DEVICE_ATTACH_IOMMUFD_PT)
                .in(FLAGS, "flags").out("pt_id"));
        put(Ioctl.VFIO_DEVICE_DETACH_IOMMUFD_PT, StructIoctl.of(Structs.VFIO_DEVICE_DETACH_IOMMUFD_PT).in(FLAGS, "flags"));
        // migration data fd
        put(Ioctl.VFIO_MIG_GET_PRECOPY_INFO, StructIoctl.of(Structs.VFIO_PRECOPY_INFO).out(FLAGS, "flags")
                .out(INITIAL_BYTES, "initial_bytes").out(DIRTY_BYTES, "dirty_bytes"));
        // /dev/iommu
        put(Ioctl.IOMMU_DESTROY, StructIoctl.of(Structs.IOMMU_DESTROY));
        put(Ioctl.IOMMU_IOAS_ALLOC, StructIoctl.of(Structs.IOMMU_IOAS_ALLOC).in(FLAGS, "flags").out("out_ioas_id"));
        put(Ioctl.IOMMU_IOAS_ALLOW_IOVAS, StructIoctl.of(Structs.IOMMU_IOAS_ALLOW_IOVAS)
                .array("allowed_iovas", "num_iovas", Structs.IOMMU_IOVA_RANGE, false));
        put(Ioctl.IOMMU_IOAS_COPY, StructIoctl.of(Structs.IOMMU_IOAS_COPY).in(FLAGS, "flags").in(LENGTH, "length")
                .in(IOVA, "dst_iova"));
        put(Ioctl.IOMMU_IOAS_IOVA_RANGES, StructIoctl.of(Structs.IOMMU_IOAS_IOVA_RANGES)
                .out("num_iovas", "out_iova_alignment")
                .array("allowed_iovas", "num_iovas", Structs.IOMMU_IOVA_RANGE, true));
        put(Ioctl.IOMMU_IOAS_MAP, StructIoctl.of(Structs.IOMMU_IOAS_MAP).in(FLAGS, "flags").in(VADDR, "user_va")
                .in(LENGTH, "length").in(IOVA, "iova").out(IOVA, "iova"));
        put(Ioctl.IOMMU_IOAS_UNMAP, StructIoctl.of(Structs.IOMMU_IOAS_UNMAP).in(IOVA, "iova").in(LENGTH, "length")
                .out("length"));
        put(Ioctl.IOMMU_OPTION, StructIoctl.of(Structs.IOMMU_OPTION).out("val64"));
        put(Ioctl.IOMMU_VFIO_IOAS, StructIoctl.of(Structs.IOMMU_VFIO_IOAS).out("ioas_id"));
        put(Ioctl.IOMMU_HWPT_ALLOC, StructIoctl.of(Structs.IOMMU_HWPT_ALLOC).in(FLAGS, "flags").out("out_hwpt_id"));
        put(Ioctl.IOMMU_GET_HW_INFO, StructIoctl.of(Structs.IOMMU_HW_INFO).in(FLAGS, "flags")
                .out("data_len", "out_data_type", "out_capabilities"));
        put(Ioctl.IOMMU_HWPT_SET_DIRTY_TRACKING, StructIoctl.of(Structs.IOMMU_HWPT_SET_DIRTY_TRACKING).in(FLAGS, "flags"));
        put(Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP, StructIoctl.of(Structs.IOMMU_HWPT_GET_DIRTY_BITMAP).in(FLAGS, "flags")
                .in(IOVA, "iova").in(LENGTH, "length").in(PAGE_SIZE, "page_size")
                .bitmap("iova", "length", "page_size", "data"));
    }

    private IoctlCodecs() {
    }

    private static void put(Ioctl ioctl, IoctlCodec codec) {
        CODECS.put(ioctl, codec);
    }

    /** The decoder of {@code ioctl}, or null when its argument is not decoded. */
    public static IoctlCodec of(Ioctl ioctl) {
        return CODECS.get(ioctl);
    }
}
