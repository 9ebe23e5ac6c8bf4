-- device_states: the timeline of each device's migration state.
-- Inputs: events of kind 'state' (the kernel's state changes: arcs of a MIG_DEVICE_STATE SET, a
--   v1 device_state write, a reset, an error).
-- Outputs: host, device, state, state_raw (the uAPI value; for the first stretch the state row's
--   args.from when it has one), from_ns, to_ns (null: still in it at the end of the trace),
--   from_seq (null for the first stretch), to_seq, cause (arc, reset, error, write).
-- Meaning: one row per stretch of time a device spent in one state; the first row of a device is
--   the state it was in before its first change, from the trace's first event.
WITH changes AS (
    SELECT host, device, from_state, to_state, state_raw, TRY_CAST(json_extract(args, '$.from') AS BIGINT) AS from_raw,
           ts_ns, seq, json_extract_string(args, '$.cause') AS cause,
           row_number() OVER (PARTITION BY host, device ORDER BY seq) AS n
    FROM events
    WHERE kind = 'state'
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
