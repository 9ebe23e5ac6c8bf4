-- id: MIG-V2-001
-- severity: error
-- meaning: A MIG_DEVICE_STATE SET asks for a state the kernel will not reach from the device's
--   current state with its migration flags (EINVAL): ERROR, a state its flags lack, or anything
--   but a reset out of ERROR.
-- source: include/uapi/linux/vfio.h, enum vfio_device_mig_state and the FSM comment above it;
--   drivers/vfio/vfio_main.c vfio_mig_get_next_state (vfio_from_fsm_table, state_flags_table)
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'SET ' || e.state_before || ' -> ' || e.requested_state || ' with flags ' || e.flags
           || ': the kernel returns EINVAL' || CASE WHEN e.ret >= 0 THEN ' (this call succeeded: not a v2 kernel?)'
                                                     ELSE ' (returned ' || coalesce(e.errno, e.ret::VARCHAR) || ')' END AS detail
FROM event_device_state e
JOIN v2_walks w ON w.flags = e.flags AND w.from_state = e.state_before AND w.to_state = e.requested_state
WHERE e.kind = 'syscall' AND e.op = 'VFIO_DEVICE_FEATURE' AND e.feature = 'MIG_DEVICE_STATE'
  AND e.feature_ops LIKE '%SET%' AND e.protocol = 'v2' AND w.walk_current = 'EINVAL'
