-- id: MIG-ERR-001
-- severity: warning
-- meaning: A MIG_DEVICE_STATE SET failed and the VMM's next call on that device acts as if it had
--   succeeded: it reads or writes the migration data, or asks VFIO_MIG_GET_PRECOPY_INFO.
-- source: include/uapi/linux/vfio.h, struct vfio_device_feature_mig_state: on failure "the device
--   state is undefined ... the user should use GET to learn it" (or reset), and no data fd is returned
-- Outputs: seq, ts_ns, host, device, detail.
WITH calls AS (
    SELECT *, lead(seq) OVER w AS next_seq, lead(op) OVER w AS next_op, lead(fd_kind) OVER w AS next_fd_kind
    FROM event_device_state
    WHERE kind = 'syscall'
    WINDOW w AS (PARTITION BY host, device ORDER BY seq)
)
SELECT c.next_seq AS seq, (SELECT ts_ns FROM events WHERE seq = c.next_seq) AS ts_ns, c.host, c.device,
       'SET ' || c.requested_state || ' failed (' || coalesce(c.errno, c.ret::VARCHAR) || ') at seq ' || c.seq
           || ', then ' || c.next_op || ' on the data fd as if it had succeeded' AS detail
FROM calls c
WHERE c.op = 'VFIO_DEVICE_FEATURE' AND c.feature = 'MIG_DEVICE_STATE' AND c.feature_ops LIKE '%SET%' AND c.ret < 0
  AND c.next_fd_kind = 'MIG_DATA'
