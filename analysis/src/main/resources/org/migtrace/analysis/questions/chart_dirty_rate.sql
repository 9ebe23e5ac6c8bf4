-- chart_dirty_rate: the rows of the "dirty-rate" chart: pages written per second over time, CPU
--   vs each device's DMA.
-- Inputs: dirty_rate (its window_ns variable applies).
-- Outputs: series (cpu, or "dma <device>"), t_s (window start, seconds from the trace's first
--   event), pages_per_s.
-- Meaning: who dirties memory, and when.
SELECT CASE WHEN source = 'cpu_write' THEN 'cpu' ELSE 'dma ' || coalesce(device, '?') END AS series,
       (window_start_ns - (SELECT min(ts_ns) FROM events)) / 1e9 AS t_s,
       sum(pages_per_s) AS pages_per_s
FROM dirty_rate
WHERE source IN ('cpu_write', 'dma_write') AND host IS NOT DISTINCT FROM
      (SELECT host FROM iterations ORDER BY seq LIMIT 1)
GROUP BY ALL
ORDER BY series, t_s
