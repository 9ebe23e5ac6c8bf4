-- id: MIG-TRK-001
-- severity: error
-- meaning: Dirty tracking started after pre-copy began (after the migration's setup or a device
--   entered a saving state): pages written in between are never reported and never resent.
-- source: QEMU hw/vfio/migration.c vfio_save_setup / hw/vfio/container-base.c
--   vfio_container_set_dirty_page_tracking run in the SETUP phase before the first RAM pass;
--   include/uapi/linux/vfio.h VFIO_DEVICE_FEATURE_DMA_LOGGING_START, VFIO_IOMMU_DIRTY_PAGES_FLAG_START
-- Outputs: seq, ts_ns, host, device, detail.
WITH began AS (
    SELECT coalesce(host, '') AS h, min(seq) AS seq
    FROM events
    WHERE (kind = 'migration' AND op = 'SETUP')
       OR (kind = 'state' AND (to_state IN ('PRE_COPY', 'STOP_COPY') OR to_state LIKE '%SAVING%'))
    GROUP BY 1
),
first_start AS (
    SELECT coalesce(host, '') AS h, mechanism, target, min(seq) AS seq, min(ts_ns) AS ts_ns, any_value(host) AS host
    FROM dirty_tracking WHERE action = 'start' AND ok GROUP BY 1, 2, 3
)
SELECT f.seq, f.ts_ns, f.host, CASE WHEN f.mechanism = 'dma-logging' THEN f.target END AS device,
       f.mechanism || ' tracking of ' || coalesce(f.target, '?') || ' started at seq ' || f.seq
           || ', after pre-copy began at seq ' || b.seq AS detail
FROM first_start f JOIN began b ON b.h = f.h
WHERE f.seq > b.seq
