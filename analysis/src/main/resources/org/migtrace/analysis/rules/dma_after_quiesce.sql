-- id: MIG-DMA-001
-- severity: error
-- meaning: Device DMA after the device was quiesced: a v2 device in RUNNING_P2P, PRE_COPY_P2P,
--   STOP, STOP_COPY or RESUMING, a v1 device without _RUNNING, wrote guest memory. Those pages
--   may miss the last dirty report.
-- source: include/uapi/linux/vfio.h, enum vfio_device_mig_state: "RUNNING_P2P: ... the device
--   shall not initiate DMA or interrupts"; STOP: "the device ... does not change the contents of
--   its internal state or of guest memory"
-- Outputs: seq, ts_ns, host, device, detail.
SELECT e.seq, e.ts_ns, e.host, e.device,
       'DMA_WRITE by the device in ' || e.state_before
           || ' (' || count(*) OVER (PARTITION BY e.host, e.device, e.state_before) || ' writes in that state; the first shown)' AS detail
FROM event_device_state e
WHERE e.kind = 'write' AND e.op = 'DMA_WRITE'
  AND ((e.protocol = 'v2' AND e.state_before IN ('RUNNING_P2P', 'PRE_COPY_P2P', 'STOP', 'STOP_COPY', 'RESUMING'))
    OR (e.protocol = 'v1' AND e.state_raw_before & 1 = 0))
QUALIFY row_number() OVER (PARTITION BY e.host, e.device, e.state_before ORDER BY e.seq) = 1
