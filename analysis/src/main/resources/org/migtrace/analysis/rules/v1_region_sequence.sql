-- id: MIG-V1-003
-- severity: error
-- meaning: A v1 migration region's data_size accessed without reading data_offset first: the
--   vendor driver prepares (saving) or places (resuming) a chunk when data_offset is read, so a
--   data_size read or write out of that order moves data the driver did not set up.
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), struct vfio_device_migration_info: "a.
--   Read data_offset, which indicates to the vendor driver to make data available ... c. Read
--   data_size" (saving) and "a. Read data_offset ... c. Write data_size" (resuming)
-- Outputs: seq, ts_ns, host, device, detail.
WITH regs AS (
    SELECT seq, ts_ns, host, device, op, what AS register
    FROM v1_region_accesses
    WHERE ret >= 0 AND what IN ('data_offset', 'data_size')
),
ordered AS (
    SELECT *, lag(register) OVER (PARTITION BY host, device ORDER BY seq) AS previous FROM regs
)
SELECT seq, ts_ns, host, device,
       (CASE WHEN op = 'pread64' THEN 'read' ELSE 'write' END) || ' of data_size without a data_offset read before it'
           AS detail
FROM ordered
WHERE register = 'data_size' AND previous IS DISTINCT FROM 'data_offset'
