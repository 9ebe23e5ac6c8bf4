-- dirty_tracking: when dirty tracking was switched on and off, and the reports asked for.
-- Inputs: events: VFIO_DEVICE_FEATURE DMA_LOGGING_START / DMA_LOGGING_STOP / DMA_LOGGING_REPORT
--   (device DMA logging, per device), VFIO_IOMMU_DIRTY_PAGES START (flag 1) / STOP (2) /
--   GET_BITMAP (4) and VFIO_IOMMU_UNMAP_DMA (type1, per container), IOMMU_HWPT_SET_DIRTY_TRACKING
--   (flag 1: enable) / IOMMU_HWPT_GET_DIRTY_BITMAP (IOMMUFD, per object).
-- Outputs: seq, ts_ns, host, mechanism (dma-logging, type1, iommufd), target (the device or the
--   container / IOMMUFD object), action (start, stop, report, unmap), ok (the call succeeded),
--   tracking_on (after a start that succeeded and before a stop: for report and unmap rows, whether
--   tracking was on when they were asked), iova, length, page_size, flags.
-- Rows come in no particular order (ORDER BY seq when it matters).
-- Meaning: the dirty-tracking timeline the tracking rules read.
WITH a AS (
    SELECT seq, ts_ns, host, iova, length, page_size, flags, ret >= 0 AS ok,
           CASE WHEN feature LIKE 'DMA_LOGGING_%' THEN 'dma-logging'
                WHEN op LIKE 'IOMMU_HWPT_%' THEN 'iommufd' ELSE 'type1' END AS mechanism,
           CASE WHEN feature LIKE 'DMA_LOGGING_%' THEN device ELSE object END AS target,
           CASE WHEN feature = 'DMA_LOGGING_START' THEN 'start'
                WHEN feature = 'DMA_LOGGING_STOP' THEN 'stop'
                WHEN feature = 'DMA_LOGGING_REPORT' THEN 'report'
                WHEN op = 'VFIO_IOMMU_DIRTY_PAGES' AND flags & 1 <> 0 THEN 'start'
                WHEN op = 'VFIO_IOMMU_DIRTY_PAGES' AND flags & 2 <> 0 THEN 'stop'
                WHEN op = 'VFIO_IOMMU_DIRTY_PAGES' AND flags & 4 <> 0 THEN 'report'
                WHEN op = 'VFIO_IOMMU_UNMAP_DMA' THEN 'unmap'
                WHEN op = 'IOMMU_HWPT_SET_DIRTY_TRACKING' AND flags & 1 <> 0 THEN 'start'
                WHEN op = 'IOMMU_HWPT_SET_DIRTY_TRACKING' THEN 'stop'
                WHEN op = 'IOMMU_HWPT_GET_DIRTY_BITMAP' THEN 'report'
           END AS action
    FROM events
    WHERE kind = 'syscall'
      AND ((op = 'VFIO_DEVICE_FEATURE' AND feature IN ('DMA_LOGGING_START', 'DMA_LOGGING_STOP', 'DMA_LOGGING_REPORT')
            AND feature_ops NOT LIKE '%PROBE%')
        OR op IN ('VFIO_IOMMU_DIRTY_PAGES', 'VFIO_IOMMU_UNMAP_DMA', 'IOMMU_HWPT_SET_DIRTY_TRACKING',
                  'IOMMU_HWPT_GET_DIRTY_BITMAP'))
),
toggles AS (
    SELECT coalesce(host, '') AS h, mechanism, target, seq, action = 'start' AS on_after
    FROM a WHERE ok AND action IN ('start', 'stop')
)
SELECT a.seq, a.ts_ns, a.host, a.mechanism, a.target, a.action, a.ok,
       CASE WHEN a.action IN ('start', 'stop') THEN a.ok AND a.action = 'start'
            ELSE coalesce(t.on_after, false) END AS tracking_on,
       a.iova, a.length, a.page_size, a.flags
FROM (SELECT *, coalesce(host, '') AS h FROM a WHERE action IS NOT NULL) a
ASOF LEFT JOIN toggles t ON t.h = a.h AND t.mechanism = (CASE WHEN a.action = 'unmap' THEN 'type1' ELSE a.mechanism END)
     AND t.target IS NOT DISTINCT FROM a.target AND a.seq > t.seq
