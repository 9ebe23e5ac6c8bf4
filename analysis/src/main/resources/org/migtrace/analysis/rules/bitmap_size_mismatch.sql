-- id: MIG-TRK-005
-- severity: error
-- meaning: A dirty report asked with a page size or a bitmap that does not fit: a
--   DMA_LOGGING_REPORT whose page_size differs from the one logging was started with, or a
--   VFIO_IOMMU_DIRTY_PAGES GET_BITMAP whose bitmap is smaller than one bit per page of the range.
-- source: include/uapi/linux/vfio.h struct vfio_device_feature_dma_logging_report ("page_size
--   ... must be the one used in DMA_LOGGING_START" as the drivers check it) and struct
--   vfio_bitmap / vfio_iommu_type1_dirty_bitmap_get; drivers/vfio/vfio_iommu_type1.c
--   verify_bitmap_size (-EINVAL)
-- Outputs: seq, ts_ns, host, device, detail.
WITH starts AS (
    SELECT coalesce(host, '') AS h, device, seq, page_size FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_DEVICE_FEATURE' AND feature = 'DMA_LOGGING_START'
      AND feature_ops NOT LIKE '%PROBE%' AND ret >= 0
),
reports AS (
    SELECT *, coalesce(host, '') AS h FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_DEVICE_FEATURE' AND feature = 'DMA_LOGGING_REPORT'
),
bitmaps AS (
    SELECT seq, ts_ns, host, device, length, page_size,
           TRY_CAST(json_extract(args, '$.in.data.bitmap.size') AS BIGINT) AS bitmap_bytes
    FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_IOMMU_DIRTY_PAGES' AND flags & 4 <> 0
)
SELECT r.seq, r.ts_ns, r.host, r.device,
       'DMA_LOGGING_REPORT with page_size ' || r.page_size || ', logging was started with ' || s.page_size AS detail
FROM reports r ASOF JOIN starts s ON s.h = r.h AND s.device = r.device AND r.seq > s.seq
WHERE r.page_size <> s.page_size -- either unknown (null): nothing to compare
UNION ALL
SELECT seq, ts_ns, host, device,
       'GET_BITMAP of ' || length || ' bytes at page size ' || page_size || ' needs a bitmap of '
           || ((length // page_size + 63) // 64 * 8) || ' bytes, got ' || bitmap_bytes AS detail
FROM bitmaps
WHERE page_size > 0 AND bitmap_bytes IS NOT NULL AND bitmap_bytes < (length // page_size + 63) // 64 * 8
