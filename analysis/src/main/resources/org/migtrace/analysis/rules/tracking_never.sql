-- id: MIG-TRK-002
-- severity: warning
-- meaning: A host migrated (pre-copy iterations ran) without ever starting dirty tracking: QEMU
--   then has to count all of guest RAM dirty on every pass, so pre-copy cannot converge.
-- source: QEMU hw/vfio/common.c vfio_devices_all_dirty_tracking and vfio_listener_log_sync (without
--   tracking every page is marked dirty); include/uapi/linux/vfio.h VFIO_IOMMU_DIRTY_PAGES,
--   VFIO_DEVICE_FEATURE_DMA_LOGGING_START, IOMMU_HWPT_SET_DIRTY_TRACKING
-- Outputs: seq, ts_ns, host, device, detail.
SELECT min(i.seq) AS seq, min(i.ts_ns) AS ts_ns, i.host, NULL AS device,
       'pre-copy ran ' || count(*) || ' iterations and no dirty tracking was started' AS detail
FROM iterations i
WHERE i.decision <> 'setup'
  AND NOT EXISTS (SELECT 1 FROM dirty_tracking t
                  WHERE t.host IS NOT DISTINCT FROM i.host AND t.action = 'start' AND t.ok)
  AND EXISTS (SELECT 1 FROM events e WHERE e.kind = 'syscall')
GROUP BY i.host
