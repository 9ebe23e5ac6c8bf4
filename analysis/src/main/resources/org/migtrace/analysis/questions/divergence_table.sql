-- divergence_table: the replay's divergences as `migtrace analyze` and the report print them.
-- Inputs: divergences.
-- Outputs: seq, host, op, detail (the request in short), object, field, expected, actual, state_before (the device's state at the
--   call), lost_before (events the capture lost before it), note.
-- Meaning: one line per divergence, the first (the one to read, docs/replay.md) on top.
SELECT seq, host, op, detail, object, field, expected, actual, state_before, lost_before, note
FROM divergences
ORDER BY seq
