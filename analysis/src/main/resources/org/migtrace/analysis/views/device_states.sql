-- device_states: the timeline of each device's migration state.
-- Inputs: events of kind 'state' (the kernel's state changes: arcs of a MIG_DEVICE_STATE SET, a
--   v1 device_state write, a reset, an error).
-- Outputs: host, device, state, state_raw (the uAPI value; for the first stretch the state row's
--   args.from when it has one), from_ns, to_ns (null: still in it at the end of the trace),
--   from_seq (null for the first stretch), to_seq, cause (arc, reset, error, write; call: below).
-- Meaning: one row per stretch of time a device spent in one state; the first row of a device is
--   the state it was in before its first change, from the trace's first event.
-- A capture (bpftrace) has no kernel rows: for a device without any, the changes are read from the
--   VMM's calls that succeeded -- a MIG_DEVICE_STATE SET or a v1 device_state write to its
--   requested state, a VFIO_DEVICE_RESET to RUNNING -- with cause 'call' (one change per call: the
--   arcs a SET walked in between are not seen).
WITH kernel AS (
    SELECT host, device, from_state, to_state, state_raw, TRY_CAST(json_extract(args, '$.from') AS BIGINT) AS from_raw,
           ts_ns, seq, json_extract_string(args, '$.cause') AS cause
    FROM events
    WHERE kind = 'state'
),
calls AS (
    SELECT c.host, c.device, c.ts_ns, c.seq,
           CASE WHEN c.op = 'VFIO_DEVICE_RESET' THEN 'RUNNING' ELSE c.requested_state END AS to_state,
           CASE WHEN c.op = 'VFIO_DEVICE_RESET' THEN NULL ELSE c.state_raw END AS state_raw
    FROM events c
    WHERE c.kind = 'syscall' AND c.device IS NOT NULL AND c.ret >= 0
      AND ((c.op = 'VFIO_DEVICE_FEATURE' AND c.feature = 'MIG_DEVICE_STATE' AND c.feature_ops LIKE '%SET%'
            AND c.requested_state IS NOT NULL)
           OR (c.op IN ('pwrite64', 'write') AND c.fd_kind = 'DEVICE' AND c.requested_state IS NOT NULL)
           OR c.op = 'VFIO_DEVICE_RESET')
      AND NOT EXISTS (SELECT 1 FROM kernel k WHERE k.host IS NOT DISTINCT FROM c.host AND k.device = c.device)
),
changes AS (
    SELECT *, row_number() OVER (PARTITION BY host, device ORDER BY seq) AS n
    FROM (
        SELECT * FROM kernel
        UNION ALL
        SELECT host, device, coalesce(lag(to_state) OVER (PARTITION BY host, device ORDER BY seq), 'RUNNING') AS from_state,
               to_state, state_raw, NULL::BIGINT AS from_raw, ts_ns, seq, 'call' AS cause
        FROM calls
    )
)
SELECT host, device, from_state AS state, from_raw AS state_raw, (SELECT min(ts_ns) FROM events) AS from_ns, ts_ns AS to_ns,
       NULL::BIGINT AS from_seq, seq AS to_seq, NULL::VARCHAR AS cause
FROM changes WHERE n = 1
UNION ALL
SELECT host, device, to_state AS state, state_raw, ts_ns AS from_ns,
       lead(ts_ns) OVER (PARTITION BY host, device ORDER BY seq) AS to_ns,
       seq AS from_seq, lead(seq) OVER (PARTITION BY host, device ORDER BY seq) AS to_seq, cause
FROM changes
ORDER BY host, device, from_ns, from_seq NULLS FIRST
