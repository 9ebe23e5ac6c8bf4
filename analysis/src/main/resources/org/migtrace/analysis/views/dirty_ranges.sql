-- dirty_ranges: where the dirtying happens: pages written and reported per address range.
-- Inputs: dirty_runs joined to their events; the range size, SET VARIABLE range_bytes = ...
--   (default 1 GiB).
-- Outputs: host, source (cpu_write, dma_write, bitmap), device, range_start (address of the range:
--   GPA for cpu_write, IOVA for dma_write and bitmap; u64 bit pattern), range_bytes, pages (counted
--   per write or report, as in dirty_rate), first_ns, last_ns.
-- Meaning: the dirty rate per IOVA (or GPA) range; a run is counted in the range its first page
--   falls in.
WITH r AS (
    SELECT coalesce(getvariable('range_bytes'), 1073741824)::BIGINT AS bytes
)
SELECT e.host, d.source, e.device,
       ((d.first_page * d.page_size) // r.bytes * r.bytes)::BIGINT AS range_start, r.bytes AS range_bytes,
       sum(d.page_count)::BIGINT AS pages, min(e.ts_ns) AS first_ns, max(e.ts_ns) AS last_ns
FROM dirty_runs d JOIN events e ON e.seq = d.event_seq, r
GROUP BY e.host, d.source, e.device, (d.first_page * d.page_size) // r.bytes, r.bytes
ORDER BY e.host, d.source, e.device, range_start
