-- id: MIG-V1-004
-- severity: error
-- meaning: A v1 device_state write set _SAVING while the VMM still mapped part of a device region
--   that the driver traps while saving (the saving sparse-mmap layout leaves it out): the driver
--   refused it (EBUSY), or, worse, accepted it and the mapping bypasses the trap (the driver shows
--   the range is trapped by refusing an mmap of it while saving). Unmap first, then set _SAVING.
-- source: include/uapi/linux/vfio.h (Linux 5.8-5.17), VFIO_REGION_INFO_CAP_SPARSE_MMAP and struct
--   vfio_device_migration_info; Alex Williamson on kvm@ (June 2020, the i40e VF migration series):
--   the driver may "track mmap vmas to the region and refuse to change device_state if there are
--   outstanding mmaps conflicting with the _SAVING sparse mmap layout"
-- Outputs: seq, ts_ns, host, device, detail.
-- A mapping is outstanding from its mmap until a munmap of the same process covers it (closing
-- the fd leaves it mapped). A range is trapped when an mmap of it failed while the device was
-- saving; device region offsets are compared raw (the region index is in bits 40 and up).
WITH saving_writes AS (
    -- the migration region is the one device_state is written in: its data section's mappings are
    -- the protocol's own (the data section may be mmapped) and never conflict
    SELECT d.seq, d.ts_ns, d.host, d.pid, d.device, d.ret, d.errno,
           coalesce(TRY_CAST(json_extract(e.args, '$.region') AS BIGINT), e.offset >> 40) AS migration_region
    FROM event_device_state d JOIN events e ON e.seq = d.seq
    WHERE d.protocol = 'v1' AND d.kind = 'syscall' AND d.op IN ('pwrite64', 'write') AND d.requested_state IS NOT NULL
      AND d.state_raw & 2 <> 0 AND d.state_raw_before & 2 = 0
),
maps AS (
    SELECT seq, host, pid, device, "offset" AS off, length, ret AS vaddr,
           coalesce(TRY_CAST(json_extract(args, '$.region') AS BIGINT), "offset" >> 40) AS region
    FROM events
    WHERE kind = 'syscall' AND op = 'mmap' AND fd_kind = 'DEVICE' AND ret >= 0 AND length > 0 AND "offset" IS NOT NULL
),
unmaps AS (
    SELECT seq, host, pid, vaddr, length FROM events WHERE kind = 'syscall' AND op = 'munmap' AND ret = 0
),
trapped AS (
    -- an mmap refused while the device was saving: the range is left out of the saving layout
    SELECT d.host, d.device, m.offset AS off, m.length, d.seq
    FROM event_device_state d JOIN events m ON m.seq = d.seq
    WHERE d.op = 'mmap' AND d.fd_kind = 'DEVICE' AND d.ret < 0 AND m.length > 0
      AND d.state_raw_before & 6 = 2 -- _SAVING without _RESUMING
),
outstanding AS (
    SELECT w.seq AS write_seq, m.*
    FROM saving_writes w
    JOIN maps m ON m.host IS NOT DISTINCT FROM w.host AND m.pid IS NOT DISTINCT FROM w.pid
         AND m.device = w.device AND m.seq < w.seq
    WHERE m.region IS DISTINCT FROM w.migration_region
      AND NOT EXISTS (SELECT 1 FROM unmaps u WHERE u.host IS NOT DISTINCT FROM m.host AND u.pid IS NOT DISTINCT FROM m.pid
                      AND u.seq > m.seq AND u.seq < w.seq AND u.vaddr <= m.vaddr AND u.vaddr + u.length >= m.vaddr + m.length)
),
conflicts AS (
    SELECT o.write_seq, o.seq AS map_seq, o.region, o.off, o.length, min(t.seq) AS trapped_seq
    FROM outstanding o
    LEFT JOIN trapped t ON t.host IS NOT DISTINCT FROM o.host AND t.device = o.device
         AND t.off < o.off + o.length AND o.off < t.off + t.length
    GROUP BY ALL
)
SELECT w.seq, w.ts_ns, w.host, w.device,
       CASE WHEN w.ret < 0
            THEN '_SAVING refused (' || w.errno || ') with device mappings outstanding: '
            ELSE '_SAVING set while the VMM maps ranges the driver traps while saving: ' END
           || string_agg('region ' || c.region || ' offset 0x' || printf('%x', c.off & 1099511627775)
                         || ' length 0x' || printf('%x', c.length) || ' (mmap at seq ' || c.map_seq || ')'
                         || CASE WHEN c.trapped_seq IS NULL THEN '' ELSE ', trapped: mmap refused at seq ' || c.trapped_seq END,
                         '; ' ORDER BY c.map_seq) AS detail
FROM saving_writes w
JOIN conflicts c ON c.write_seq = w.seq AND ((w.ret < 0 AND w.errno = 'EBUSY') OR (w.ret >= 0 AND c.trapped_seq IS NOT NULL))
GROUP BY w.seq, w.ts_ns, w.host, w.device, w.ret, w.errno
