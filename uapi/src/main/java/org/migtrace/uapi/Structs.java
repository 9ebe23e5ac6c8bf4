package org.migtrace.uapi;

import static org.migtrace.uapi.StructLayout.struct;

/**
 * Layouts of the uAPI structs migtrace reads and writes, named as in
 * {@code include/uapi/linux/vfio.h} and {@code include/uapi/linux/iommufd.h} (IOMMUFD as of 6.7;
 * later kernels append members, which the size-based extensibility of IOMMUFD tolerates).
 * Sizes match the table in the reference (gcc, x86_64); {@code StructsTest} pins them.
 */
public final class Structs {
    private Structs() {
    }

    /** Common header of every {@code vfio_info_cap_header} capability. */
    public static final StructLayout VFIO_INFO_CAP_HEADER = struct("vfio_info_cap_header")
            .u16("id").u16("version").u32("next").build();

    // ---- group and device discovery

    public static final StructLayout VFIO_GROUP_STATUS = struct("vfio_group_status")
            .u32("argsz").u32("flags").build();
    public static final int VFIO_GROUP_FLAGS_VIABLE = 1;
    public static final int VFIO_GROUP_FLAGS_CONTAINER_SET = 1 << 1;

    public static final StructLayout VFIO_DEVICE_INFO = struct("vfio_device_info")
            .u32("argsz").u32("flags").u32("num_regions").u32("num_irqs").u32("cap_offset").u32("pad").build();
    public static final int VFIO_DEVICE_FLAGS_RESET = 1;
    public static final int VFIO_DEVICE_FLAGS_PCI = 1 << 1;
    public static final int VFIO_DEVICE_FLAGS_CAPS = 1 << 7;

    public static final StructLayout VFIO_REGION_INFO = struct("vfio_region_info")
            .u32("argsz").u32("flags").u32("index").u32("cap_offset").u64("size").u64("offset").build();
    public static final int VFIO_REGION_INFO_FLAG_READ = 1;
    public static final int VFIO_REGION_INFO_FLAG_WRITE = 1 << 1;
    public static final int VFIO_REGION_INFO_FLAG_MMAP = 1 << 2;
    public static final int VFIO_REGION_INFO_FLAG_CAPS = 1 << 3;
    public static final int VFIO_REGION_INFO_CAP_SPARSE_MMAP = 1;
    public static final int VFIO_REGION_INFO_CAP_TYPE = 2;
    /** The NDMA RFC's capability id advertising the NDMA bit. */
    public static final int VFIO_REGION_INFO_CAP_MIG_NDMA = 6;

    public static final StructLayout VFIO_REGION_INFO_CAP_TYPE_STRUCT = struct("vfio_region_info_cap_type")
            .embed("header", VFIO_INFO_CAP_HEADER).u32("type").u32("subtype").build();
    /** {@code vfio_region_info_cap_sparse_mmap} without its flexible {@code areas[]}. */
    public static final StructLayout VFIO_REGION_INFO_CAP_SPARSE_MMAP_STRUCT = struct("vfio_region_info_cap_sparse_mmap")
            .embed("header", VFIO_INFO_CAP_HEADER).u32("nr_areas").u32("reserved").build();
    public static final StructLayout VFIO_REGION_SPARSE_MMAP_AREA = struct("vfio_region_sparse_mmap_area")
            .u64("offset").u64("size").build();

    /** {@code VFIO_REGION_TYPE_MIGRATION_DEPRECATED} / {@code VFIO_REGION_SUBTYPE_MIGRATION_DEPRECATED}. */
    public static final int VFIO_REGION_TYPE_MIGRATION = 3;
    public static final int VFIO_REGION_SUBTYPE_MIGRATION = 1;
    /** vfio-pci encodes the region index in the top bits of the device fd offset. */
    public static final int VFIO_PCI_OFFSET_SHIFT = 40;
    /** BAR0..5, ROM, CONFIG, VGA: the first device-specific region index is 9. */
    public static final int VFIO_PCI_NUM_REGIONS = 9;
    public static final int VFIO_PCI_CONFIG_REGION_INDEX = 7;

    /** v1 register block at the start of the migration region. */
    public static final StructLayout VFIO_DEVICE_MIGRATION_INFO = struct("vfio_device_migration_info")
            .u32("device_state").u32("reserved").u64("pending_bytes").u64("data_offset").u64("data_size").build();

    // ---- VFIO_DEVICE_FEATURE

    public static final StructLayout VFIO_DEVICE_FEATURE = struct("vfio_device_feature")
            .u32("argsz").u32("flags").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_MIGRATION = struct("vfio_device_feature_migration")
            .u64("flags").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_MIG_STATE = struct("vfio_device_feature_mig_state")
            .u32("device_state").s32("data_fd").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL = struct("vfio_device_feature_dma_logging_control")
            .u64("page_size").u32("num_ranges").u32("__reserved").ptr("ranges").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE = struct("vfio_device_feature_dma_logging_range")
            .u64("iova").u64("length").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT = struct("vfio_device_feature_dma_logging_report")
            .u64("iova").u64("length").u64("page_size").ptr("bitmap").build();
    public static final StructLayout VFIO_DEVICE_FEATURE_MIG_DATA_SIZE = struct("vfio_device_feature_mig_data_size")
            .u64("stop_copy_length").build();
    public static final StructLayout VFIO_PRECOPY_INFO = struct("vfio_precopy_info")
            .u32("argsz").u32("flags").u64("initial_bytes").u64("dirty_bytes").build();

    // ---- type1 container

    public static final int VFIO_API_VERSION = 0;
    public static final int VFIO_TYPE1_IOMMU = 1;
    public static final int VFIO_TYPE1v2_IOMMU = 3;
    public static final int VFIO_DMA_CC_IOMMU = 4;
    public static final int VFIO_UNMAP_ALL = 9;
    public static final int VFIO_UPDATE_VADDR = 10;

    public static final StructLayout VFIO_IOMMU_TYPE1_INFO = struct("vfio_iommu_type1_info")
            .u32("argsz").u32("flags").u64("iova_pgsizes").u32("cap_offset").u32("pad").build();
    public static final int VFIO_IOMMU_INFO_PGSIZES = 1;
    public static final int VFIO_IOMMU_INFO_CAPS = 1 << 1;
    public static final int VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE = 1;
    public static final int VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION = 2;
    public static final int VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL = 3;
    public static final StructLayout VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT = struct("vfio_iommu_type1_info_cap_migration")
            .embed("header", VFIO_INFO_CAP_HEADER).u32("flags").u64("pgsize_bitmap").u64("max_dirty_bitmap_size").build();
    public static final StructLayout VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT = struct("vfio_iommu_type1_info_cap_iova_range")
            .embed("header", VFIO_INFO_CAP_HEADER).u32("nr_iovas").u32("reserved").build();
    public static final StructLayout VFIO_IOVA_RANGE = struct("vfio_iova_range").u64("start").u64("end").build();
    public static final StructLayout VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT = struct("vfio_iommu_type1_info_dma_avail")
            .embed("header", VFIO_INFO_CAP_HEADER).u32("avail").build();

    public static final StructLayout VFIO_IOMMU_TYPE1_DMA_MAP = struct("vfio_iommu_type1_dma_map")
            .u32("argsz").u32("flags").u64("vaddr").u64("iova").u64("size").build();
    public static final int VFIO_DMA_MAP_FLAG_READ = 1;
    public static final int VFIO_DMA_MAP_FLAG_WRITE = 1 << 1;
    public static final int VFIO_DMA_MAP_FLAG_VADDR = 1 << 2;

    public static final StructLayout VFIO_BITMAP = struct("vfio_bitmap")
            .u64("pgsize").u64("size").ptr("data").build();

    /** {@code vfio_iommu_type1_dma_unmap}; with GET_DIRTY_BITMAP a {@link #VFIO_BITMAP} follows at {@code data}. */
    public static final StructLayout VFIO_IOMMU_TYPE1_DMA_UNMAP = struct("vfio_iommu_type1_dma_unmap")
            .u32("argsz").u32("flags").u64("iova").u64("size").build();
    public static final int VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP = 1;
    public static final int VFIO_DMA_UNMAP_FLAG_ALL = 1 << 1;
    public static final int VFIO_DMA_UNMAP_FLAG_VADDR = 1 << 2;

    public static final StructLayout VFIO_IOMMU_TYPE1_DIRTY_BITMAP = struct("vfio_iommu_type1_dirty_bitmap")
            .u32("argsz").u32("flags").build();
    public static final int VFIO_IOMMU_DIRTY_PAGES_FLAG_START = 1;
    public static final int VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP = 1 << 1;
    public static final int VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP = 1 << 2;
    public static final StructLayout VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET = struct("vfio_iommu_type1_dirty_bitmap_get")
            .u64("iova").u64("size").embed("bitmap", VFIO_BITMAP).build();
    /** {@code DIRTY_BITMAP_SIZE_MAX}: 256 MiB of bitmap, 2^31 pages. */
    public static final long DIRTY_BITMAP_SIZE_MAX = 1L << 28;

    // ---- IOMMUFD cdev binding

    public static final StructLayout VFIO_DEVICE_BIND_IOMMUFD = struct("vfio_device_bind_iommufd")
            .u32("argsz").u32("flags").s32("iommufd").u32("out_devid").build();
    public static final StructLayout VFIO_DEVICE_ATTACH_IOMMUFD_PT = struct("vfio_device_attach_iommufd_pt")
            .u32("argsz").u32("flags").u32("pt_id").build();
    public static final StructLayout VFIO_DEVICE_DETACH_IOMMUFD_PT = struct("vfio_device_detach_iommufd_pt")
            .u32("argsz").u32("flags").build();

    // ---- /dev/iommu

    public static final StructLayout IOMMU_DESTROY = struct("iommu_destroy").u32("size").u32("id").build();
    public static final StructLayout IOMMU_IOAS_ALLOC = struct("iommu_ioas_alloc")
            .u32("size").u32("flags").u32("out_ioas_id").build();
    public static final StructLayout IOMMU_IOAS_MAP = struct("iommu_ioas_map")
            .u32("size").u32("flags").u32("ioas_id").u32("__reserved").ptr("user_va").u64("length").u64("iova").build();
    public static final int IOMMU_IOAS_MAP_FIXED_IOVA = 1;
    public static final int IOMMU_IOAS_MAP_WRITEABLE = 1 << 1;
    public static final int IOMMU_IOAS_MAP_READABLE = 1 << 2;
    public static final StructLayout IOMMU_IOAS_UNMAP = struct("iommu_ioas_unmap")
            .u32("size").u32("ioas_id").u64("iova").u64("length").build();
    public static final StructLayout IOMMU_VFIO_IOAS = struct("iommu_vfio_ioas")
            .u32("size").u32("ioas_id").u16("op").u16("__reserved").build();
    public static final StructLayout IOMMU_HWPT_ALLOC = struct("iommu_hwpt_alloc")
            .u32("size").u32("flags").u32("dev_id").u32("pt_id").u32("out_hwpt_id").u32("__reserved")
            .u32("data_type").u32("data_len").ptr("data_uptr").build();
    public static final int IOMMU_HWPT_ALLOC_NEST_PARENT = 1;
    public static final int IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1;
    public static final StructLayout IOMMU_HW_INFO = struct("iommu_hw_info")
            .u32("size").u32("flags").u32("dev_id").u32("data_len").ptr("data_uptr")
            .u32("out_data_type").u32("__reserved").u64("out_capabilities").build();
    public static final long IOMMU_HW_CAP_DIRTY_TRACKING = 1;
    public static final StructLayout IOMMU_HWPT_SET_DIRTY_TRACKING = struct("iommu_hwpt_set_dirty_tracking")
            .u32("size").u32("flags").u32("hwpt_id").u32("__reserved").build();
    public static final int IOMMU_HWPT_DIRTY_TRACKING_ENABLE = 1;
    public static final StructLayout IOMMU_HWPT_GET_DIRTY_BITMAP = struct("iommu_hwpt_get_dirty_bitmap")
            .u32("size").u32("hwpt_id").u32("flags").u32("__reserved")
            .u64("iova").u64("length").u64("page_size").ptr("data").build();
    public static final int IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR = 1;

    // ---- /dev/iommu, continued (iommufd model)

    public static final StructLayout IOMMU_IOAS_ALLOW_IOVAS = struct("iommu_ioas_allow_iovas")
            .u32("size").u32("ioas_id").u32("num_iovas").u32("__reserved").ptr("allowed_iovas").build();
    public static final StructLayout IOMMU_IOVA_RANGE = struct("iommu_iova_range").u64("start").u64("last").build();
    public static final StructLayout IOMMU_IOAS_COPY = struct("iommu_ioas_copy")
            .u32("size").u32("flags").u32("dst_ioas_id").u32("src_ioas_id")
            .u64("length").u64("dst_iova").u64("src_iova").build();
    public static final StructLayout IOMMU_IOAS_IOVA_RANGES = struct("iommu_ioas_iova_ranges")
            .u32("size").u32("ioas_id").u32("num_iovas").u32("__reserved").ptr("allowed_iovas")
            .u64("out_iova_alignment").build();
    public static final StructLayout IOMMU_OPTION = struct("iommu_option")
            .u32("size").u32("option_id").u16("op").u16("__reserved").u32("object_id").u64("val64").build();
    public static final int IOMMU_OPTION_RLIMIT_MODE = 0;
    public static final int IOMMU_OPTION_HUGE_PAGES = 1;
    public static final int IOMMU_OPTION_OP_SET = 0;
    public static final int IOMMU_OPTION_OP_GET = 1;
    public static final int IOMMU_VFIO_IOAS_GET = 0;
    public static final int IOMMU_VFIO_IOAS_SET = 1;
    public static final int IOMMU_VFIO_IOAS_CLEAR = 2;
    /** {@code IOMMU_HWPT_DATA_NONE}: {@code iommu_hwpt_alloc.data_type} for a plain paging domain. */
    public static final int IOMMU_HWPT_DATA_NONE = 0;
    /** {@code IOMMU_HW_INFO_TYPE_INTEL_VTD}. */
    public static final int IOMMU_HW_INFO_TYPE_INTEL_VTD = 1;
    /** {@code struct iommu_hw_info_vtd}: what an Intel IOMMU reports through {@code IOMMU_GET_HW_INFO}. */
    public static final StructLayout IOMMU_HW_INFO_VTD = struct("iommu_hw_info_vtd")
            .u32("flags").u32("__reserved").u64("cap_reg").u64("ecap_reg").build();
}
