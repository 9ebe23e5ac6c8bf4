-- id: MIG-ERR-002
-- severity: warning
-- meaning: A v1 device_state write failed and the VMM's next access to that device's migration
--   region acts as if it had succeeded: it reads pending_bytes, data_offset or data_size or moves
--   data, instead of reading device_state back (or resetting) to learn where the device is.
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), struct vfio_device_migration_info, device_state:
--   "if write(device_state, state) returns an error, read device_state again to determine the
--   current state of the device from the vendor driver" (the previous state, or the error state,
--   which only a reset leaves)
-- Outputs: seq, ts_ns, host, device, detail.
WITH calls AS (
    -- the device's migration-region accesses (v1_region_accesses) and resets, in order
    SELECT seq, ts_ns, host, device, op, ret, errno, requested_state, what FROM v1_region_accesses
    UNION ALL
    SELECT seq, ts_ns, host, device, op, ret, errno, NULL, 'reset' FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_DEVICE_RESET' AND device IS NOT NULL
),
paired AS (
    SELECT *, lead(seq) OVER w AS next_seq, lead(ts_ns) OVER w AS next_ts, lead(what) OVER w AS next_what,
           lead(op) OVER w AS next_op
    FROM calls
    WINDOW w AS (PARTITION BY host, device ORDER BY seq)
)
SELECT next_seq AS seq, next_ts AS ts_ns, host, device,
       'device_state write of ' || coalesce(requested_state, '?') || ' failed (' || coalesce(errno, ret::VARCHAR)
           || ') at seq ' || seq || ', then ' || (CASE WHEN next_op = 'pread64' THEN 'a read of ' ELSE 'a write of ' END)
           || next_what || ' without reading device_state back' AS detail
FROM paired
WHERE op = 'pwrite64' AND what = 'device_state' AND ret < 0
  AND next_what IN ('pending_bytes', 'data_offset', 'data_size', 'data')
