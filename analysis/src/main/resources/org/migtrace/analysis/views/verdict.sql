-- verdict: did the pre-copy phase converge, and if not, why and what would make it converge.
-- Inputs: convergence; trace_info (page_size, guest_memory); the window of recent passes
--   (SET VARIABLE recent_passes = ..., default 3: QEMU has no such number, it is ours).
-- Outputs: host, status (converged, not converging), converged_at (the iteration whose switchover
--   test passed), passes (pre-copy iterations after setup), reason (the first that applies, in
--   this order: tracking reports everything dirty; device state larger than the downtime budget;
--   dirty rate >= bandwidth; pending not shrinking over N iterations; ended before converging),
--   reasons (all that apply, joined by '; '), bandwidth (bytes/s, the last measured),
--   downtime_limit_ms, threshold_bytes (the last), min_pending_bytes, recent_dirty_rate_bytes_per_s,
--   min_device_stop_copy_bytes, needed_bandwidth (bytes/s: above the recent dirty rate, and enough
--   to send the smallest pending seen within the downtime limit), needed_downtime_limit_ms (the
--   limit under which the smallest pending seen would have passed at the last bandwidth).
-- "Tracking reports everything dirty": a pass whose reported dirty pages reach 90% of guest RAM
--   while the pages written in it (when the trace has write rows) are fewer than half of them.
-- Meaning: one row per migrating host. The needed figures are computed from the data, for a
--   migration that converged too (how much margin it had).
WITH n AS (
    SELECT coalesce(getvariable('recent_passes'), 3)::BIGINT AS recent
),
info AS (
    SELECT coalesce(max(page_size), 4096) AS ps, max(guest_memory) AS mem FROM trace_info
),
c AS (
    SELECT *, row_number() OVER (PARTITION BY host ORDER BY seq DESC) AS from_end,
           min(pending_bytes) OVER (PARTITION BY host ORDER BY seq
                                    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS best_before
    FROM convergence WHERE decision <> 'setup'
),
h AS (
    SELECT c.host,
           min(iteration) FILTER (WHERE decision = 'switchover') AS converged_at,
           count(*) AS passes,
           arg_max(bandwidth, seq) FILTER (WHERE bandwidth > 0) AS bandwidth,
           arg_max(downtime_limit_ms, seq) FILTER (WHERE downtime_limit_ms IS NOT NULL) AS downtime_limit_ms,
           arg_max(threshold_bytes, seq) AS threshold_bytes,
           min(pending_bytes) AS min_pending_bytes,
           max(greatest(dirty_pages_cpu, dirty_pages_device, new_dirty_pages))
               FILTER (WHERE written_pages IS NULL
                          OR written_pages < 0.5 * greatest(dirty_pages_cpu, dirty_pages_device, new_dirty_pages))
               AS max_pass_pages,
           min(device_stop_copy_bytes) AS min_device_stop_copy_bytes,
           avg(dirty_rate_bytes_per_s) FILTER (WHERE from_end <= n.recent) AS recent_dirty_rate_bytes_per_s,
           avg(bandwidth) FILTER (WHERE from_end <= n.recent) AS recent_bandwidth,
           count(*) FILTER (WHERE from_end <= n.recent) AS recent_count,
           min(pending_bytes) FILTER (WHERE from_end <= n.recent) AS recent_min_pending,
           min(best_before) FILTER (WHERE from_end = n.recent) AS best_before_recent,
           any_value(n.recent) AS recent
    FROM c, n GROUP BY c.host
),
r AS (
    SELECT h.*,
           list_filter([
               CASE WHEN info.mem IS NOT NULL AND h.max_pass_pages * info.ps >= 0.9 * info.mem
                    THEN 'tracking reports everything dirty' END,
               CASE WHEN h.min_device_stop_copy_bytes > h.threshold_bytes
                    THEN 'device state larger than the downtime budget' END,
               CASE WHEN h.recent_dirty_rate_bytes_per_s >= h.recent_bandwidth
                    THEN 'dirty rate >= bandwidth' END,
               CASE WHEN h.recent_count = h.recent AND h.passes > h.recent
                         AND h.recent_min_pending >= h.best_before_recent
                    THEN 'pending not shrinking over ' || h.recent || ' iterations' END
           ], x -> x IS NOT NULL) AS found
    FROM h, info
)
SELECT host,
       CASE WHEN converged_at IS NOT NULL THEN 'converged' ELSE 'not converging' END AS status,
       converged_at, passes,
       CASE WHEN converged_at IS NOT NULL THEN NULL
            WHEN len(found) > 0 THEN found[1] ELSE 'ended before converging' END AS reason,
       CASE WHEN converged_at IS NOT NULL THEN NULL ELSE array_to_string(found, '; ') END AS reasons,
       bandwidth, downtime_limit_ms, threshold_bytes, min_pending_bytes,
       recent_dirty_rate_bytes_per_s, min_device_stop_copy_bytes,
       greatest(coalesce(recent_dirty_rate_bytes_per_s, 0),
                CASE WHEN downtime_limit_ms > 0 THEN min_pending_bytes * 1000.0 / downtime_limit_ms END)
           AS needed_bandwidth,
       CASE WHEN bandwidth > 0 THEN min_pending_bytes * 1000.0 / bandwidth END AS needed_downtime_limit_ms
FROM r
ORDER BY host
