-- v1_region_accesses: every access to a v1 device's migration region, named.
-- Inputs: events (pread64/pwrite64 on device fds; args.register, args.region, or the region index
--   in bits 40 and up of the offset).
-- Outputs: seq, ts_ns, host, device, op, ret, errno, requested_state, state_raw, what (the register:
--   device_state, pending_bytes, data_offset, data_size; data for the data section).
-- Meaning: the migration region is the region whose registers a trace names (args.register); an
--   access there that names no register is the data section (a data section the VMM mmapped shows
--   no rows). The v1 sequence rules read it.
WITH regions AS (
    SELECT DISTINCT host, device, coalesce(TRY_CAST(json_extract(args, '$.region') AS BIGINT), "offset" >> 40) AS region
    FROM events
    WHERE kind = 'syscall' AND op IN ('pread64', 'pwrite64') AND fd_kind = 'DEVICE'
      AND json_extract_string(args, '$.register') IS NOT NULL
)
SELECT e.seq, e.ts_ns, e.host, e.device, e.op, e.ret, e.errno, e.requested_state, e.state_raw,
       coalesce(json_extract_string(e.args, '$.register'), 'data') AS what
FROM events e
JOIN regions r ON r.host IS NOT DISTINCT FROM e.host AND r.device = e.device
     AND r.region = coalesce(TRY_CAST(json_extract(e.args, '$.region') AS BIGINT), e."offset" >> 40)
WHERE e.kind = 'syscall' AND e.op IN ('pread64', 'pwrite64') AND e.fd_kind = 'DEVICE'
