package org.migtrace.sim.run;

import java.util.List;
import org.migtrace.sim.IterationStats;

/**
 * The outcome of one simulated migration: enough to reproduce it (scenario and seed), the
 * per-iteration table, the verdict, and the totals.
 *
 * @param scenario     the scenario's name
 * @param seed         the seed the run used
 * @param iterations   one row per dirty-bitmap sync, setup first
 * @param verdict      how it ended and why
 * @param downtimeNs   VM stop on the source to VM start on the destination (0 unless converged)
 * @param durationNs   migration start to its end (completion, failure or cancel)
 * @param totalBytes   everything put on the wire
 * @param ramBytes     the RAM part of it
 * @param deviceBytes  the device-state part of it
 * @param lostPages    writes no dirty report caught: for a converged run, source pages written after
 *                     their last copy; for any run, also the most pages a sync left written since
 *                     their last copy but not marked dirty. 0 on a correct stack.
 * @param tracking     the dirty tracking of each VFIO container ({@code device-logging}, {@code type1},
 *                     {@code iommufd}, {@code none})
 * @param devices      per-device summaries, in scenario order
 * @param vmHost       where the guest runs at the end: the destination's host name when the migration
 *                     completed, the source's otherwise
 */
public record RunReport(String scenario, long seed, List<IterationStats> iterations, Verdict verdict, long downtimeNs,
                        long durationNs, long totalBytes, long ramBytes, long deviceBytes, long lostPages,
                        List<String> tracking, List<DeviceSummary> devices, String vmHost) {
    public RunReport {
        iterations = List.copyOf(iterations);
        tracking = List.copyOf(tracking);
        devices = List.copyOf(devices);
    }
}
