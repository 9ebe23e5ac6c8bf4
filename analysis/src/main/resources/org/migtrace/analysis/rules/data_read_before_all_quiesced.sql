-- id: MIG-P2P-001
-- severity: error
-- meaning: With several devices in the VM, one device's final state (STOP_COPY) was read while
--   another was still RUNNING or PRE_COPY: that device can still DMA into the stopped one (P2P),
--   changing state already read.
-- source: include/uapi/linux/vfio.h, VFIO_MIGRATION_P2P and enum vfio_device_mig_state:
--   "RUNNING_P2P ... all the devices must be placed in RUNNING_P2P before any is placed in STOP"
-- Outputs: seq, ts_ns, host, device, detail.
WITH reads AS (
    SELECT * FROM event_device_state
    WHERE kind = 'syscall' AND op = 'read' AND fd_kind = 'MIG_DATA' AND state_before = 'STOP_COPY'
),
others AS (
    SELECT r.seq, o.name AS other,
           (SELECT s.to_state FROM events s
            WHERE s.kind = 'state' AND s.host IS NOT DISTINCT FROM r.host AND s.device = o.name AND s.seq < r.seq
            ORDER BY s.seq DESC LIMIT 1) AS other_state
    FROM reads r JOIN devices o ON o.host IS NOT DISTINCT FROM r.host AND o.name <> r.device
)
SELECT r.seq, r.ts_ns, r.host, r.device,
       'STOP_COPY data read while ' || o.other || ' is still ' || coalesce(o.other_state, 'RUNNING') AS detail
FROM reads r JOIN others o ON o.seq = r.seq
WHERE coalesce(o.other_state, 'RUNNING') IN ('RUNNING', 'PRE_COPY')
QUALIFY row_number() OVER (PARTITION BY r.device, o.other ORDER BY r.seq) = 1
