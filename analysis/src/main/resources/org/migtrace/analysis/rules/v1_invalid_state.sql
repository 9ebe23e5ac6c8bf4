-- id: MIG-V1-001
-- severity: error
-- meaning: A v1 device_state write of a value the v1 protocol does not define: _RESUMING with
--   _RUNNING or _SAVING (_SAVING|_RESUMING is the error state), or bits above _RESUMING set.
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), struct vfio_device_migration_info:
--   VFIO_DEVICE_STATE_VALID(state), "_SAVING | _RESUMING ... invalid state"
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'device_state written as ' || e.state_raw || ' (' || coalesce(e.requested_state, '?')
           || '): not a valid v1 state' AS detail
FROM event_device_state e
WHERE e.protocol = 'v1' AND e.kind = 'syscall' AND e.op IN ('pwrite64', 'write') AND e.state_raw IS NOT NULL
  AND e.requested_state IS NOT NULL
  AND (e.state_raw & ~7 <> 0 OR (e.state_raw & 4 <> 0 AND e.state_raw & 3 <> 0))
