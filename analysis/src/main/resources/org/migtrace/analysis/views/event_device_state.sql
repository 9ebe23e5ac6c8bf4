-- event_device_state: every event that names a device, with the state that device was in when
--   the event happened (before any state change the event itself caused).
-- Inputs: events; devices (protocol, migration flags).
-- Outputs: seq, ts_ns, host, pid, tid, device, kind, op, feature, feature_ops, fd, fd_kind, object,
--   requested_state, state_raw, data_fd, ret, errno, protocol, flags (v2 migration flags:
--   STOP_COPY 1, P2P 2, PRE_COPY 4), state_before (RUNNING when the trace shows no change before:
--   a v2 device starts in RUNNING, a v1 device with _RUNNING set), state_raw_before.
-- Meaning: the join most protocol rules need; state rows themselves are left out.
WITH s AS (
    SELECT coalesce(host, '') AS h, device, seq, to_state, state_raw FROM events WHERE kind = 'state'
)
SELECT e.seq, e.ts_ns, e.host, e.pid, e.tid, e.device, e.kind, e.op, e.feature, e.feature_ops, e.fd, e.fd_kind,
       e.object, e.requested_state, e.state_raw, e.data_fd, e.ret, e.errno, d.protocol, d.flags,
       coalesce(s.to_state, 'RUNNING') AS state_before,
       coalesce(s.state_raw, CASE WHEN d.protocol = 'v1' THEN 1 ELSE 2 END) AS state_raw_before
FROM (SELECT *, coalesce(host, '') AS h FROM events WHERE device IS NOT NULL AND kind <> 'state') e
ASOF LEFT JOIN s ON s.h = e.h AND s.device = e.device AND e.seq > s.seq
LEFT JOIN devices d ON coalesce(d.host, '') = e.h AND d.name = e.device
ORDER BY e.seq
