-- event_device_state: every syscall that names a device, with the state that device was in when
--   the event happened (before any state change the event itself caused).
-- Inputs: events; devices (protocol, migration flags).
-- Outputs: seq, ts_ns, host, pid, tid, device, kind, op, feature, feature_ops, fd, fd_kind, object,
--   requested_state, state_raw, data_fd, ret, errno, protocol, flags (v2 migration flags:
--   STOP_COPY 1, P2P 2, PRE_COPY 4), state_before (RUNNING when the trace shows no change before:
--   a v2 device starts in RUNNING, a v1 device with _RUNNING set), state_raw_before.
-- Rows come in no particular order (ORDER BY seq when it matters).
-- Meaning: the join most protocol rules need (memory writes are left out: rules about them join
--   device_states' intervals instead). Materialized as a table when a command analyzes.
SELECT e.seq, e.ts_ns, e.host, e.pid, e.tid, e.device, e.kind, e.op, e.feature, e.feature_ops, e.fd, e.fd_kind,
       e.object, e.requested_state, e.state_raw, e.data_fd, e.ret, e.errno, d.protocol, d.flags,
       coalesce(s.state, 'RUNNING') AS state_before,
       coalesce(s.state_raw, CASE WHEN d.protocol = 'v1' THEN 1 ELSE 2 END) AS state_raw_before
FROM (SELECT * FROM events WHERE device IS NOT NULL AND kind = 'syscall') e
-- the stretch of device_states the call falls in: a few stretches per device, so a range join
-- (the state rows a call causes come after it in seq, so it sees the state before)
LEFT JOIN device_states s ON s.host IS NOT DISTINCT FROM e.host AND s.device = e.device
     AND e.seq > coalesce(s.from_seq, -1) AND e.seq < coalesce(s.to_seq, 9223372036854775807)
LEFT JOIN devices d ON d.host IS NOT DISTINCT FROM e.host AND d.name = e.device
