-- id: MIG-TRK-004
-- severity: error
-- meaning: VFIO_IOMMU_UNMAP_DMA without VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP while type1 dirty
--   tracking is on: the range's dirty bits are dropped with the mapping. The detail counts the
--   pages written (by DMA or vCPUs) in the range since the last report: the bits lost.
-- source: include/uapi/linux/vfio.h struct vfio_iommu_type1_dma_unmap,
--   VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP; drivers/vfio/vfio_iommu_type1.c vfio_dma_do_unmap
-- Outputs: seq, ts_ns, host, device, detail.
WITH unmaps AS (
    SELECT t.*, (SELECT max(r.seq) FROM dirty_tracking r
                 WHERE r.host IS NOT DISTINCT FROM t.host AND r.target IS NOT DISTINCT FROM t.target
                   AND r.action IN ('report', 'start') AND r.ok AND r.seq < t.seq) AS since_seq
    FROM dirty_tracking t
    WHERE t.action = 'unmap' AND t.ok AND t.tracking_on AND coalesce(t.flags, 0) & 1 = 0
),
lost AS (
    SELECT u.seq, sum(d.page_count)::BIGINT AS pages
    FROM unmaps u
    JOIN events w ON w.kind = 'write' AND w.host IS NOT DISTINCT FROM u.host AND w.seq > u.since_seq AND w.seq < u.seq
    JOIN dirty_runs d ON d.event_seq = w.seq
    WHERE d.first_page * d.page_size >= u.iova AND d.first_page * d.page_size < u.iova + u.length
    GROUP BY u.seq
)
SELECT u.seq, u.ts_ns, u.host, NULL AS device,
       'unmap of IOVA 0x' || printf('%x', u.iova) || ' + ' || u.length || ' without the dirty bitmap: '
           || coalesce(l.pages, 0) || ' pages written since the last report are lost' AS detail
FROM unmaps u LEFT JOIN lost l ON l.seq = u.seq
