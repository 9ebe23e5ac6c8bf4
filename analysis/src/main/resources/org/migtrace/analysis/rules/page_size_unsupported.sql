-- id: MIG-TRK-006
-- severity: error
-- meaning: A dirty bitmap asked at a page size the IOMMU does not track at: a type1 GET_BITMAP or
--   UNMAP_DMA with GET_DIRTY_BITMAP whose bitmap pgsize is not the smallest page size the container
--   reported (VFIO_IOMMU_GET_INFO: the migration capability's pgsize_bitmap, else iova_pgsizes),
--   or whose bitmap is larger than the capability's max_dirty_bitmap_size; an
--   IOMMU_HWPT_GET_DIRTY_BITMAP whose page_size is 0 or does not divide its iova and length.
-- source: include/uapi/linux/vfio.h struct vfio_iommu_type1_info_cap_migration ("pgsize_bitmap:
--   supported page sizes for dirty page logging", max_dirty_bitmap_size); drivers/vfio/vfio_iommu_type1.c
--   vfio_iommu_type1_dirty_pages and vfio_dma_do_unmap ("pgsize = 1 << __ffs(iommu->pgsize_bitmap)",
--   -EINVAL otherwise); drivers/iommu/iommufd/io_pagetable.c iommufd_check_iova_range (-EINVAL)
-- Outputs: seq, ts_ns, host, device, detail.
WITH info AS (
    SELECT coalesce(host, '') AS h, object, seq,
           coalesce(TRY_CAST(json_extract(list_filter(CAST(json_extract(args, '$.out.caps') AS JSON[]),
                                                      c -> json_extract(c, '$.header.id')::INTEGER = 2)[1],
                                          '$.pgsize_bitmap') AS BIGINT),
                    TRY_CAST(json_extract(args, '$.out.iova_pgsizes') AS BIGINT)) AS pgsizes,
           TRY_CAST(json_extract(list_filter(CAST(json_extract(args, '$.out.caps') AS JSON[]),
                                             c -> json_extract(c, '$.header.id')::INTEGER = 2)[1],
                                 '$.max_dirty_bitmap_size') AS BIGINT) AS max_bitmap
    FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_IOMMU_GET_INFO' AND ret = 0
),
type1 AS (
    SELECT seq, ts_ns, host, coalesce(host, '') AS h, object, device, op, page_size,
           coalesce(TRY_CAST(json_extract(args, '$.in.data.bitmap.size') AS BIGINT),
                    TRY_CAST(json_extract(args, '$.in.bitmap.size') AS BIGINT)) AS bitmap_bytes
    FROM events
    WHERE kind = 'syscall' AND page_size IS NOT NULL
      AND ((op = 'VFIO_IOMMU_DIRTY_PAGES' AND flags & 4 <> 0) OR (op = 'VFIO_IOMMU_UNMAP_DMA' AND flags & 1 <> 0))
)
SELECT t.seq, t.ts_ns, t.host, t.device,
       CASE WHEN t.page_size <> i.pgsizes & -i.pgsizes
            THEN t.op || ' bitmap at page size ' || t.page_size || ': the container tracks at '
                 || (i.pgsizes & -i.pgsizes) || ' only (page sizes 0x' || printf('%x', i.pgsizes) || ', GET_INFO at seq '
                 || i.seq || ')'
            ELSE t.op || ' bitmap of ' || t.bitmap_bytes || ' bytes: above max_dirty_bitmap_size ' || i.max_bitmap
                 || ' (GET_INFO at seq ' || i.seq || ')' END AS detail
FROM type1 t ASOF JOIN info i ON i.h = t.h AND i.object = t.object AND t.seq > i.seq
WHERE i.pgsizes > 0 AND (t.page_size <> i.pgsizes & -i.pgsizes OR t.bitmap_bytes > i.max_bitmap)
UNION ALL
SELECT seq, ts_ns, host, device,
       'IOMMU_HWPT_GET_DIRTY_BITMAP at page size ' || page_size || ' over iova 0x' || printf('%x', iova) || ' length 0x'
           || printf('%x', length) || CASE WHEN page_size = 0 THEN ': no page size' ELSE ': not a multiple of it' END AS detail
FROM events
WHERE kind = 'syscall' AND op = 'IOMMU_HWPT_GET_DIRTY_BITMAP' AND page_size IS NOT NULL
  AND (page_size = 0 OR iova % page_size <> 0 OR length % page_size <> 0)
