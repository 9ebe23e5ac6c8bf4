-- working_set: a working-set estimate: the distinct pages the vCPUs and each device wrote.
-- Inputs: dirty_runs of sources cpu_write and dma_write (memory-write events' pages are runs), joined
--   to their events; the migration's SETUP event, when there is one.
-- Outputs: host, source, device, phase (trace: the whole trace; precopy: from the migration's
--   SETUP on), pages (distinct pages: overlapping runs merged), bytes, span_ns (first to last
--   write), writes_pages (pages counted per write: pages / writes_pages < 1 means rewriting).
-- Meaning: the pages a pass has to resend at least, whatever the bandwidth; when it is larger than
--   bandwidth x downtime limit, pre-copy cannot converge without throttling.
WITH setup AS (
    SELECT coalesce(host, '') AS h, min(seq) AS seq FROM events WHERE kind = 'migration' AND op = 'SETUP' GROUP BY 1
),
w AS (
    SELECT e.host, d.source, e.device, e.ts_ns, e.seq, d.page_size, d.first_page, d.first_page + d.page_count AS end_page,
           d.page_count, e.seq >= s.seq AS in_precopy
    FROM dirty_runs d JOIN events e ON e.seq = d.event_seq
    LEFT JOIN setup s ON s.h = coalesce(e.host, '')
    WHERE d.source IN ('cpu_write', 'dma_write')
),
phased AS (
    SELECT *, 'trace' AS phase FROM w
    UNION ALL
    SELECT *, 'precopy' AS phase FROM w WHERE in_precopy
),
-- Gaps and islands: both windows walk the runs in one total order (rn breaks ties between runs
-- starting and ending on the same pages), so the islands do not depend on how a sort ordered the
-- ties (with first_page, end_page alone two sorts could disagree and the count changed between runs).
ordered AS (
    SELECT *, row_number() OVER () AS rn FROM phased
),
islands AS (
    SELECT *, CASE WHEN first_page <= max(end_page) OVER (PARTITION BY host, source, device, phase
                                                          ORDER BY first_page, end_page, rn
                                                          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                   THEN 0 ELSE 1 END AS starts
    FROM ordered
),
numbered AS (
    SELECT *, sum(starts) OVER (PARTITION BY host, source, device, phase ORDER BY first_page, end_page, rn
                                ROWS UNBOUNDED PRECEDING) AS island
    FROM islands
),
merged AS (
    SELECT host, source, device, phase, island, max(end_page) - min(first_page) AS pages,
           any_value(page_size) AS page_size, sum(page_count) AS written, min(ts_ns) AS t0, max(ts_ns) AS t1
    FROM numbered GROUP BY ALL
)
SELECT host, source, device, phase, sum(pages)::BIGINT AS pages, sum(pages * page_size)::BIGINT AS bytes,
       (max(t1) - min(t0))::BIGINT AS span_ns, sum(written)::BIGINT AS writes_pages
FROM merged
GROUP BY host, source, device, phase
ORDER BY host, phase DESC, source, device
