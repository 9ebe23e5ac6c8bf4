-- id: MIG-V2-003
-- severity: error
-- meaning: A migration data fd used (read, write, VFIO_MIG_GET_PRECOPY_INFO) after the device
--   left the states it was opened for: a saving fd outside PRE_COPY, PRE_COPY_P2P and STOP_COPY,
--   a resuming fd outside RESUMING.
-- source: include/uapi/linux/vfio.h, struct vfio_device_feature_mig_state: "data_fd ... valid
--   until the migration state ... leaves" the saving or resuming states; the drivers disable the
--   file (mlx5vf_disable_fd) when the device changes state
-- Outputs: seq, ts_ns, host, device, detail.
WITH opened AS (
    SELECT coalesce(host, '') AS h, pid, data_fd AS fd, seq AS opened_seq, device AS fd_device,
           CASE WHEN requested_state = 'RESUMING' THEN 'resuming' ELSE 'saving' END AS purpose
    FROM events
    WHERE kind = 'syscall' AND op = 'VFIO_DEVICE_FEATURE' AND feature = 'MIG_DEVICE_STATE'
      AND ret >= 0 AND data_fd >= 0
),
uses AS (
    SELECT *, coalesce(host, '') AS h FROM event_device_state
    WHERE fd_kind = 'MIG_DATA' AND kind = 'syscall' AND protocol = 'v2'
      AND op IN ('read', 'write', 'VFIO_MIG_GET_PRECOPY_INFO')
)
SELECT u.seq, u.ts_ns, u.host, u.device,
       u.op || ' on the ' || o.purpose || ' data fd ' || u.fd || ' (opened at seq ' || o.opened_seq
           || ') while the device is in ' || u.state_before AS detail
FROM uses u
ASOF JOIN opened o ON o.h = u.h AND o.pid IS NOT DISTINCT FROM u.pid AND o.fd = u.fd AND u.seq > o.opened_seq
WHERE (o.purpose = 'saving' AND u.state_before NOT IN ('PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY'))
   OR (o.purpose = 'resuming' AND u.state_before <> 'RESUMING')
