-- id: MIG-V1-005
-- severity: error
-- meaning: A v1 migration region accessed out of the order the protocol defines: pending_bytes read
--   while not _SAVING, data_offset or data_size while neither _SAVING nor _RESUMING (the protocol
--   defines them only in its saving and resuming sequences); saving, the data section read before
--   data_size was read for the chunk, or the next data_offset read without the pending_bytes read
--   that acknowledges the chunk; resuming, the data section written before data_offset was read.
--   (data_size before data_offset: MIG-V1-003.)
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), struct vfio_device_migration_info, "The
--   sequence to be followed while in pre-copy state and stop-and-copy state": "a. Read pending_bytes
--   ... b. Read data_offset ... c. Read data_size ... d. Read data_size bytes of data from (region +
--   data_offset) ... f. Read pending_bytes, which indicates that the data from the previous
--   iteration has been read. If pending_bytes > 0, go to step b."; while _RESUMING: "a. Read
--   data_offset ... b. Write migration data ... c. Write data_size"
-- Outputs: seq, ts_ns, host, device, detail.
WITH accesses AS (
    SELECT a.seq, a.ts_ns, a.host, a.device, a.op, d.state_raw_before AS st, a.what
    FROM v1_region_accesses a
    JOIN event_device_state d ON d.seq = a.seq
    WHERE d.protocol = 'v1' AND a.ret >= 0 AND a.what IN ('pending_bytes', 'data_offset', 'data_size', 'data')
),
ordered AS (
    SELECT *,
           lag(what) OVER w AS previous,
           -- the last register access before this one, data accesses skipped
           last_value(CASE WHEN what <> 'data' THEN what END IGNORE NULLS) OVER
               (PARTITION BY host, device ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS last_register
    FROM accesses
    WINDOW w AS (PARTITION BY host, device ORDER BY seq)
),
found AS (
    SELECT *, CASE
        WHEN what = 'pending_bytes' AND st & 2 = 0
            THEN 'pending_bytes read while not _SAVING: its value is undefined'
        WHEN what IN ('data_offset', 'data_size') AND st & 6 = 0
            THEN what || ' accessed while neither _SAVING nor _RESUMING: its value is undefined'
        WHEN st & 6 = 2 AND what = 'data' AND op = 'pread64' AND last_register IS DISTINCT FROM 'data_size'
            THEN 'data section read before data_size was read for the chunk'
        WHEN st & 6 = 2 AND what = 'data_offset' AND previous = 'data'
            THEN 'data_offset read for the next chunk without reading pending_bytes, which acknowledges the one read'
        WHEN st & 6 = 4 AND what = 'data' AND op = 'pwrite64' AND last_register IS DISTINCT FROM 'data_offset'
            THEN 'data section written before data_offset was read for the chunk'
    END AS detail
    FROM ordered
)
SELECT seq, ts_ns, host, device, detail FROM found WHERE detail IS NOT NULL
