package org.migtrace.uapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StructsTest {

    @Test
    void sizesMatchGccOnX86_64() {
        // the table in shared/reference/vfio-uapi.md §F (computed with gcc)
        assertThat(Structs.VFIO_DEVICE_MIGRATION_INFO.size()).isEqualTo(32);
        assertThat(Structs.VFIO_DEVICE_FEATURE.size()).isEqualTo(8);
        assertThat(Structs.VFIO_DEVICE_FEATURE_MIGRATION.size()).isEqualTo(8);
        assertThat(Structs.VFIO_DEVICE_FEATURE_MIG_STATE.size()).isEqualTo(8);
        assertThat(Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL.size()).isEqualTo(24);
        assertThat(Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE.size()).isEqualTo(16);
        assertThat(Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT.size()).isEqualTo(32);
        assertThat(Structs.VFIO_PRECOPY_INFO.size()).isEqualTo(24);
        assertThat(Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE.size()).isEqualTo(8);
        assertThat(Structs.VFIO_IOMMU_TYPE1_INFO.size()).isEqualTo(24);
        assertThat(Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT.size()).isEqualTo(32);
        assertThat(Structs.VFIO_BITMAP.size()).isEqualTo(24);
        assertThat(Structs.VFIO_IOMMU_TYPE1_DMA_MAP.size()).isEqualTo(32);
        assertThat(Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP.size()).isEqualTo(24);
        assertThat(Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP.size()).isEqualTo(8);
        assertThat(Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET.size()).isEqualTo(40);
        assertThat(Structs.IOMMU_HWPT_SET_DIRTY_TRACKING.size()).isEqualTo(16);
        assertThat(Structs.IOMMU_HWPT_GET_DIRTY_BITMAP.size()).isEqualTo(48);
        assertThat(Structs.IOMMU_HWPT_ALLOC.size()).isEqualTo(40);
        assertThat(Structs.IOMMU_IOAS_MAP.size()).isEqualTo(40);
        assertThat(Structs.IOMMU_IOAS_UNMAP.size()).isEqualTo(24);
        assertThat(Structs.IOMMU_IOAS_ALLOC.size()).isEqualTo(12);
        assertThat(Structs.IOMMU_HW_INFO.size()).isEqualTo(40);
    }

    @Test
    void iommufdModelLayoutsMatchTheHeader() {
        assertThat(Structs.IOMMU_IOAS_ALLOW_IOVAS.size()).isEqualTo(24);
        assertThat(Structs.IOMMU_IOAS_COPY.size()).isEqualTo(40);
        assertThat(Structs.IOMMU_IOAS_IOVA_RANGES.size()).isEqualTo(32);
        assertThat(Structs.IOMMU_IOVA_RANGE.size()).isEqualTo(16);
        assertThat(Structs.IOMMU_OPTION.size()).isEqualTo(24);
        assertThat(Structs.IOMMU_OPTION.offset("val64")).isEqualTo(16);
        assertThat(Structs.IOMMU_HW_INFO_VTD.size()).isEqualTo(24);
    }

    @Test
    void offsetsFollowNaturalAlignment() {
        // __aligned_u64 after one u32 is padded to 8 (cap_migration.pgsize_bitmap at 16)
        assertThat(Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT.offset("pgsize_bitmap")).isEqualTo(16);
        assertThat(Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT.offset("max_dirty_bitmap_size")).isEqualTo(24);
        assertThat(Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET.offset("bitmap.data")).isEqualTo(32);
        assertThat(Structs.IOMMU_HWPT_GET_DIRTY_BITMAP.offset("data")).isEqualTo(40);
        assertThat(Structs.IOMMU_IOAS_MAP.offset("iova")).isEqualTo(32);
        assertThat(Structs.VFIO_DEVICE_FEATURE_MIG_STATE.offsetOfEnd("data_fd")).isEqualTo(8);
    }

    @Test
    void fieldsRoundTripLittleEndian() {
        byte[] b = new byte[Structs.VFIO_DEVICE_FEATURE_MIG_STATE.size()];
        Structs.VFIO_DEVICE_FEATURE_MIG_STATE.field("device_state").put(b, 0, 6);
        Structs.VFIO_DEVICE_FEATURE_MIG_STATE.field("data_fd").put(b, 0, -1);
        assertThat(b).containsExactly(6, 0, 0, 0, -1, -1, -1, -1);
        assertThat(Structs.VFIO_DEVICE_FEATURE_MIG_STATE.decode(b, 0, b.length))
                .containsEntry("device_state", 6L).containsEntry("data_fd", -1L);
    }

    @Test
    void decodeShowsOnlyWhatArgszCovers() {
        byte[] b = new byte[Structs.VFIO_PRECOPY_INFO.size()];
        assertThat(Structs.VFIO_PRECOPY_INFO.decode(b, 0, 8)).containsOnlyKeys("argsz", "flags");
    }

    @Test
    void aMemberIsFoundByAnyStringOfItsNameAndAnUnknownOneIsRefused() {
        StructLayout layout = Structs.VFIO_DEVICE_FEATURE_MIG_STATE;
        for (int round = 0; round < 3; round++) { // the first lookups fill the recent members, the later ones hit them
            for (StructLayout.Field f : layout.fields()) {
                assertThat(layout.field(f.name())).isSameAs(f);
                assertThat(layout.field(new String(f.name()))).isSameAs(f); // not the literal: an equal text
                assertThat(layout.offset(f.name())).isEqualTo(f.offset());
            }
        }
        assertThatThrownBy(() -> layout.field("device_statex")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no member device_statex");
    }
}
