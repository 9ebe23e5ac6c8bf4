-- iteration_table: the convergence view in the units an engineer reads (what `migtrace analyze`
--   prints as a table or Markdown; JSON and CSV give the convergence view's raw columns).
-- Inputs: convergence.
-- Outputs: host, iteration, time_s, dirty_cpu, dirty_dev (pages found by KVM's log and by the VFIO
--   report), new_dirty (pages newly set in the migration bitmap), sent_mib, bandwidth_mbps
--   (MB/s, 10^6), pending_mib, ram_mib (RAM remaining), dev_stopcopy_mib, dev_precopy_mib
--   (initial + dirty), threshold_mib, downtime_qemu_ms, downtime_ms (ours), decision.
-- Meaning: one line per iteration.
SELECT host, iteration,
       round(time_ns / 1e9, 3) AS time_s,
       dirty_pages_cpu AS dirty_cpu, dirty_pages_device AS dirty_dev, new_dirty_pages AS new_dirty,
       round(bytes_sent / 1048576.0, 1) AS sent_mib,
       round(bandwidth / 1e6, 1) AS bandwidth_mbps,
       round(pending_bytes / 1048576.0, 1) AS pending_mib,
       round(ram_remaining_bytes / 1048576.0, 1) AS ram_mib,
       round(device_stop_copy_bytes / 1048576.0, 1) AS dev_stopcopy_mib,
       round((coalesce(device_initial_bytes, 0) + coalesce(device_dirty_bytes, 0)) / 1048576.0, 1) AS dev_precopy_mib,
       round(threshold_bytes / 1048576.0, 1) AS threshold_mib,
       round(expected_downtime_qemu_ms, 1) AS downtime_qemu_ms,
       round(expected_downtime_ms, 1) AS downtime_ms,
       decision
FROM convergence
ORDER BY host, seq
