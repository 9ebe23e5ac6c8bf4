-- id: MIG-V1-002
-- severity: error
-- meaning: A v1 device_state write while the device is in the error state (_SAVING|_RESUMING):
--   only a device reset leaves it.
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), struct vfio_device_migration_info: "If the
--   device is in the error state ... the user must reset the device (VFIO_DEVICE_RESET)"
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'device_state write of ' || coalesce(e.requested_state, e.state_raw::VARCHAR)
           || ' while in the error state (' || e.state_before || ')' AS detail
FROM event_device_state e
WHERE e.protocol = 'v1' AND e.kind = 'syscall' AND e.op IN ('pwrite64', 'write')
  AND e.requested_state IS NOT NULL AND e.state_raw_before & 6 = 6
