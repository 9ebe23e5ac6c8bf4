-- id: MIG-DMA-001
-- severity: error
-- meaning: Device DMA after the device was quiesced: a v2 device in RUNNING_P2P, PRE_COPY_P2P,
--   STOP, STOP_COPY or RESUMING, a v1 device without _RUNNING, wrote guest memory. Those pages
--   may miss the last dirty report.
-- source: include/uapi/linux/vfio.h, enum vfio_device_mig_state: "RUNNING_P2P: ... the device
--   shall not initiate DMA or interrupts"; STOP: "the device ... does not change the contents of
--   its internal state or of guest memory"
-- Outputs: seq, ts_ns, host, device, detail.
WITH quiesced AS (
    SELECT s.host, s.device, s.state, s.from_seq, coalesce(s.to_seq, 9223372036854775807) AS to_seq
    FROM device_states s JOIN devices d ON d.host IS NOT DISTINCT FROM s.host AND d.name = s.device
    WHERE s.from_seq IS NOT NULL
      AND ((d.protocol = 'v2' AND s.state IN ('RUNNING_P2P', 'PRE_COPY_P2P', 'STOP', 'STOP_COPY', 'RESUMING'))
        OR (d.protocol = 'v1' AND (s.state = '0' OR s.state = 'STOP' OR s.state NOT LIKE '%RUNNING%')))
),
dma AS (
    SELECT e.seq, e.ts_ns, e.host, e.device, q.state, q.from_seq
    FROM events e JOIN quiesced q ON e.device = q.device AND e.host IS NOT DISTINCT FROM q.host
         AND e.seq > q.from_seq AND e.seq < q.to_seq
    WHERE e.kind = 'write' AND e.op = 'DMA_WRITE'
)
SELECT seq, ts_ns, host, device,
       'DMA_WRITE by the device in ' || state || ' (' || count(*) OVER (PARTITION BY host, device, from_seq)
           || ' writes in that stretch; the first shown)' AS detail
FROM dma
QUALIFY row_number() OVER (PARTITION BY host, device, from_seq ORDER BY seq) = 1
