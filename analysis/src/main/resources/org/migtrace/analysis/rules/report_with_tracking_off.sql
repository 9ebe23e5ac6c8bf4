-- id: MIG-TRK-003
-- severity: error
-- meaning: A dirty report (DMA_LOGGING_REPORT, VFIO_IOMMU_DIRTY_PAGES GET_BITMAP,
--   IOMMU_HWPT_GET_DIRTY_BITMAP) asked while that tracking was off: never started, stopped, or its
--   start failed; whatever comes back is not the pages written.
-- source: include/uapi/linux/vfio.h VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT ("after logging was
--   started"), VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP; drivers/vfio/vfio_iommu_type1.c
--   vfio_iommu_type1_dirty_pages (-EINVAL unless dirty_page_tracking)
-- Outputs: seq, ts_ns, host, device, detail.
SELECT t.seq, t.ts_ns, t.host, CASE WHEN t.mechanism = 'dma-logging' THEN t.target END AS device,
       t.mechanism || ' report of ' || coalesce(t.target, '?') || ' while tracking is off' AS detail
FROM dirty_tracking t
WHERE t.action = 'report' AND NOT t.tracking_on
