-- id: MIG-V2-004
-- severity: warning
-- meaning: VFIO_MIG_GET_PRECOPY_INFO asked while the device is not in PRE_COPY or PRE_COPY_P2P
--   (the kernel returns EINVAL; a VMM that uses the answer anyway sizes nothing).
-- source: include/uapi/linux/vfio.h, VFIO_MIG_GET_PRECOPY_INFO: "is only valid in PRE_COPY and
--   PRE_COPY_P2P states"; mlx5vf_precopy_ioctl returns -EINVAL otherwise
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'VFIO_MIG_GET_PRECOPY_INFO in ' || e.state_before
           || CASE WHEN e.ret < 0 THEN ' (' || coalesce(e.errno, e.ret::VARCHAR) || ')' ELSE '' END AS detail
FROM event_device_state e
WHERE e.op = 'VFIO_MIG_GET_PRECOPY_INFO' AND e.state_before NOT IN ('PRE_COPY', 'PRE_COPY_P2P')
