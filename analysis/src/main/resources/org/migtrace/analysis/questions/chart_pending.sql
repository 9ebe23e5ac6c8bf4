-- chart_pending: the rows of the "pending" chart: pending vs threshold per iteration.
-- Inputs: convergence.
-- Outputs: host, iteration, pending_mib, threshold_mib, device_stop_copy_mib, ram_remaining_mib.
-- Meaning: the switchover test of each iteration as a picture: it passes where pending falls to
--   the threshold; a device stop-copy line above the threshold means it never can.
SELECT host, iteration, pending_bytes / 1048576.0 AS pending_mib, threshold_bytes / 1048576.0 AS threshold_mib,
       device_stop_copy_bytes / 1048576.0 AS device_stop_copy_mib, ram_remaining_bytes / 1048576.0 AS ram_remaining_mib
FROM convergence
WHERE decision <> 'setup'
ORDER BY host, seq
