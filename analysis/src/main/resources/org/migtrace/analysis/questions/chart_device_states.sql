-- chart_device_states: the rows of the "device-states" chart: each device's state over time.
-- Inputs: device_states.
-- Outputs: series (host and device), t_s (seconds from the trace's first event), state, level (the
--   chart's y axis: v2 and v1 states in migration order, ERROR lowest; 12 for a state not listed).
-- Meaning: the state timeline; one point where each state begins, and one at the end of the trace.
WITH t0 AS (SELECT min(ts_ns) AS t0, max(ts_ns) AS t1 FROM events),
v AS (
    SELECT coalesce(host, '?') || ' ' || device AS series, from_ns, to_ns, state,
           coalesce(list_position(['ERROR', 'SAVING|RESUMING', 'STOP', '0', 'RUNNING', 'RUNNING_P2P', 'PRE_COPY',
                                   'RUNNING|SAVING', 'PRE_COPY_P2P', 'STOP_COPY', 'SAVING', 'RESUMING'], state) - 1, 12)
               AS level
    FROM device_states
)
SELECT series, (from_ns - t0.t0) / 1e9 AS t_s, state, level FROM v, t0
UNION ALL
SELECT series, (t0.t1 - t0.t0) / 1e9, state, level FROM v, t0 WHERE to_ns IS NULL
ORDER BY series, t_s
