-- dirty_rate: pages dirtied per time window, CPU vs device DMA, per device, and as reported.
-- Inputs: dirty_runs joined to their events (sum(page_count) counts pages, runs and 64-page words
--   alike); trace_info.page_size; the window length, SET VARIABLE window_ns = ... (default 100 ms,
--   QEMU's BUFFER_DELAY rate-limit window).
-- Outputs: host, source (cpu_write: vCPU writes to guest pages; dma_write: device DMA writes;
--   bitmap: pages a dirty report returned to the VMM), device (the writing or reporting device;
--   null for cpu_write), window_no (0-based: window_start_ns / window_ns), window_start_ns, window_end_ns, pages, pages_per_s,
--   bytes_per_s.
-- Meaning: the write rate by whom, over time. Written pages are counted each time they are written
--   (a write rate, not QEMU's dirty-pages-rate, which counts newly dirtied pages per sync: see the
--   convergence view's dirty_rate_bytes_per_s). Windows with no pages have no row.
WITH w AS (
    SELECT coalesce(getvariable('window_ns'), 100000000)::BIGINT AS ns
)
SELECT e.host, r.source, e.device,
       (e.ts_ns // w.ns)::BIGINT AS window_no,
       ((e.ts_ns // w.ns) * w.ns)::BIGINT AS window_start_ns,
       ((e.ts_ns // w.ns + 1) * w.ns)::BIGINT AS window_end_ns,
       sum(r.page_count)::BIGINT AS pages,
       sum(r.page_count) * 1e9 / w.ns AS pages_per_s,
       sum(r.page_count * r.page_size) * 1e9 / w.ns AS bytes_per_s
FROM dirty_runs r JOIN events e ON e.seq = r.event_seq, w
GROUP BY e.host, r.source, e.device, e.ts_ns // w.ns, w.ns
ORDER BY e.host, window_no, r.source, e.device
