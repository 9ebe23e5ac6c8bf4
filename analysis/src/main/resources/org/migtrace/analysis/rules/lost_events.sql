-- id: MIG-CAP-001
-- severity: info
-- meaning: The capture lost events here (bpftrace's lost-event count): a rule that found nothing
--   near this point, or a count over this span, may be wrong.
-- source: bpftrace: "Lost N events" (perf ring buffer full); docs/recording-a-real-host.md
-- Outputs: seq, ts_ns, host, device, detail.
SELECT seq, ts_ns, host, NULL AS device, count || ' events lost by the capture here' AS detail
FROM events WHERE kind = 'lost'
UNION ALL
SELECT NULL, NULL, NULL, NULL, lost_events || ' events lost by the capture (the manifest''s lost_events)'
FROM trace_info
WHERE lost_events > 0 AND NOT EXISTS (SELECT 1 FROM events WHERE kind = 'lost')
