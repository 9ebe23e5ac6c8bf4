-- divergences: the replay's divergences (migtrace replay TRACE -o OUT writes OUT/divergences.arrow,
--   docs/replay.md), each joined by seq to the trace event it is about.
-- Inputs: replay_divergences (the file's rows as they are; no rows when no replay was given);
--   events; device_states.
-- Outputs: the file's columns -- seq, ts_ns, host, op, object, detail, field, expected, actual,
--   note -- then, from the event: pid, tid, thread, fd, fd_kind, device, ret, errno, args (the
--   recorded call), state_before (the device's state when the stimulus was made: a v2 device starts
--   in RUNNING, a v1 device with _RUNNING; null for an event without a device), lost_before
--   (events the capture lost before this seq: when above 0, suspect the loss before the target).
-- Meaning: one row per divergence, in seq order then as the replay listed them (several fields
--   of one call diverge together). Loading checks that every seq is the same stimulus in the
--   trace (same op and time), so a replay of another trace is refused, not joined.
SELECT r.seq, r.ts_ns, r.host, r.op, r.object, r.detail, r.field, r.expected, r.actual, r.note,
       e.pid, e.tid, e.thread, e.fd, e.fd_kind, e.device, e.ret, e.errno, e.args,
       CASE WHEN e.device IS NOT NULL THEN coalesce(s.state, 'RUNNING') END AS state_before,
       (SELECT coalesce(sum(l.count), 0) FROM events l WHERE l.kind = 'lost' AND l.seq < r.seq)::BIGINT AS lost_before
FROM replay_divergences r
JOIN events e ON e.seq = r.seq
LEFT JOIN device_states s ON s.host IS NOT DISTINCT FROM e.host AND s.device = e.device
     AND e.seq > coalesce(s.from_seq, -1) AND e.seq < coalesce(s.to_seq, 9223372036854775807)
ORDER BY r.seq, r.rowid
