-- convergence: what the migration driver found and decided at each pre-copy iteration, by QEMU's
--   definitions (migration/migration.c migration_iteration_run and migration_update_counters,
--   migration/ram.c migration_bitmap_sync, hw/vfio/migration.c vfio_state_pending_exact).
-- Inputs: iterations (one row per dirty-bitmap sync); the devices' size queries between the
--   previous sync and this one: VFIO_DEVICE_FEATURE GET MIG_DATA_SIZE (stop_copy_length) and
--   VFIO_MIG_GET_PRECOPY_INFO (initial_bytes, dirty_bytes), the last successful one per device;
--   trace_info.page_size.
-- Outputs: host, iteration, seq, ts_ns, time_ns, duration_ns, dirty_pages_cpu, dirty_pages_device,
--   new_dirty_pages, bytes_sent, device_bytes_sent, bandwidth (bytes/s), pending_bytes,
--   ram_remaining_bytes (pending minus what the devices report: QEMU's ram.remaining),
--   device_pending_bytes, device_initial_bytes, device_dirty_bytes, device_stop_copy_bytes,
--   threshold_bytes (bandwidth x downtime limit), downtime_limit_ms (threshold / bandwidth),
--   expected_downtime_qemu_ms (QEMU's expected-downtime: RAM remaining / bandwidth),
--   expected_downtime_ms (ours: RAM remaining plus the devices' stop-copy bytes, / bandwidth),
--   dirty_rate_bytes_per_s (newly dirtied bytes per second of the pass: QEMU's dirty-pages-rate
--   x page size), passes_to_threshold (if the dirty rate and bandwidth stay as in this pass,
--   pending shrinks by dirty_rate / bandwidth a pass: the passes until it is under the threshold;
--   0 when it already is, null when it never will), written_pages (pages the vCPUs and devices
--   wrote during the pass, counted per write, whichever host: the writes between the previous sync
--   and this one in seq order; null when the trace has no write rows, as a capture of a real
--   host), decision.
-- Meaning: the convergence table of docs/analysis.md; one row per iteration, setup included.
WITH it AS (
    SELECT i.*, coalesce(lag(i.seq) OVER (PARTITION BY i.host ORDER BY i.seq), -1) AS prev_seq
    FROM iterations i
),
q AS (
    SELECT seq, host, device, feature, op, stop_copy_length, initial_bytes, dirty_bytes
    FROM events
    WHERE kind = 'syscall' AND ret >= 0
      AND ((op = 'VFIO_DEVICE_FEATURE' AND feature = 'MIG_DATA_SIZE') OR op = 'VFIO_MIG_GET_PRECOPY_INFO')
),
per_device AS (
    SELECT it.seq AS it_seq, q.device,
           arg_max(q.stop_copy_length, q.seq) FILTER (WHERE q.feature = 'MIG_DATA_SIZE') AS stop_copy,
           arg_max(q.initial_bytes, q.seq) FILTER (WHERE q.op = 'VFIO_MIG_GET_PRECOPY_INFO') AS initial,
           arg_max(q.dirty_bytes, q.seq) FILTER (WHERE q.op = 'VFIO_MIG_GET_PRECOPY_INFO') AS dirty
    FROM it JOIN q ON q.host IS NOT DISTINCT FROM it.host AND q.seq > it.prev_seq AND q.seq < it.seq
    GROUP BY it.seq, q.device
),
written AS (
    -- each write's pages go to the first sync after it (ASOF on seq): dirty_runs carry their
    -- event's seq, so no join with the 10^7 events is needed
    SELECT it.seq AS it_seq, sum(r.page_count)::BIGINT AS pages
    FROM (SELECT event_seq, page_count FROM dirty_runs WHERE source IN ('cpu_write', 'dma_write')) r
    ASOF JOIN (SELECT seq FROM iterations) it ON it.seq >= r.event_seq
    GROUP BY it.seq
),
dev AS (
    SELECT it_seq, sum(initial)::BIGINT AS initial, sum(dirty)::BIGINT AS dirty,
           sum(stop_copy)::BIGINT AS stop_copy
    FROM per_device GROUP BY it_seq
),
base AS (
    SELECT it.host, it.iteration, it.seq, it.ts_ns, it.time_ns, it.duration_ns,
           it.dirty_pages_cpu, it.dirty_pages_device, it.new_dirty_pages,
           it.bytes_sent, it.device_bytes_sent, it.bandwidth, it.pending_bytes,
           (it.pending_bytes - it.device_pending_bytes) AS ram_remaining_bytes,
           it.device_pending_bytes,
           dev.initial AS device_initial_bytes, dev.dirty AS device_dirty_bytes,
           coalesce(dev.stop_copy, 0) AS device_stop_copy_bytes,
           it.threshold_bytes,
           CASE WHEN it.bandwidth > 0 THEN it.threshold_bytes * 1000.0 / it.bandwidth END AS downtime_limit_ms,
           CASE WHEN it.bandwidth > 0
                THEN (it.pending_bytes - it.device_pending_bytes) * 1000.0 / it.bandwidth END AS expected_downtime_qemu_ms,
           CASE WHEN it.bandwidth > 0
                THEN (it.pending_bytes - it.device_pending_bytes + coalesce(dev.stop_copy, 0)) * 1000.0 / it.bandwidth
           END AS expected_downtime_ms,
           CASE WHEN it.duration_ns > 0 AND it.decision <> 'setup'
                THEN it.new_dirty_pages * coalesce((SELECT page_size FROM trace_info), 4096) * 1e9 / it.duration_ns
           END AS dirty_rate_bytes_per_s,
           CASE WHEN EXISTS (SELECT 1 FROM dirty_runs WHERE source IN ('cpu_write', 'dma_write'))
                THEN coalesce(written.pages, 0) END
               AS written_pages,
           it.decision
    FROM it LEFT JOIN dev ON dev.it_seq = it.seq LEFT JOIN written ON written.it_seq = it.seq
)
SELECT *,
       CASE WHEN decision = 'setup' THEN NULL
            WHEN pending_bytes <= threshold_bytes THEN 0
            WHEN bandwidth <= 0 OR dirty_rate_bytes_per_s IS NULL OR dirty_rate_bytes_per_s >= bandwidth
                 OR device_stop_copy_bytes > threshold_bytes THEN NULL
            WHEN dirty_rate_bytes_per_s = 0 THEN 1
            ELSE greatest(1, ceil(ln(threshold_bytes / pending_bytes::DOUBLE)
                                  / ln(dirty_rate_bytes_per_s / bandwidth)))::BIGINT
       END AS passes_to_threshold
FROM base
ORDER BY host, seq
