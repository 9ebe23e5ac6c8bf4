-- id: MIG-V2-002
-- severity: error
-- meaning: A MIG_DEVICE_STATE SET whose walk meets a blocked arc on a PRE_COPY device
--   (STOP_COPY -> PRE_COPY and the like): kernels 6.2 to 7.1 loop forever in the next-state
--   function (a soft lockup); later kernels return EINVAL.
-- source: drivers/vfio/vfio_main.c vfio_mig_get_next_state: the "while ((state_flags_table[*next_fsm]
--   & device->migration_flags) != state_flags_table[*next_fsm])" loop, fixed in 7.2 (ERROR requires
--   every flag and maps to itself)
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'SET ' || e.state_before || ' -> ' || e.requested_state
           || ': hangs kernels 6.2-7.1 (soft lockup), EINVAL on later kernels' AS detail
FROM event_device_state e
JOIN v2_walks w ON w.flags = e.flags AND w.from_state = e.state_before AND w.to_state = e.requested_state
WHERE e.kind = 'syscall' AND e.op = 'VFIO_DEVICE_FEATURE' AND e.feature = 'MIG_DEVICE_STATE'
  AND e.feature_ops LIKE '%SET%' AND e.protocol = 'v2' AND w.walk_6_2 = 'HANG'
