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
 * @param lostPages    source pages written after their last copy that no dirty report caught (only
 *                     meaningful for a converged run; must be 0 on a correct stack)
 * @param tracking     the dirty tracking of each VFIO container ({@code device-logging}, {@code type1},
 *                     {@code iommufd}, {@code none})
 * @param devices      per-device summaries, in scenario order
 */
public record RunReport(String scenario, long seed, List<IterationStats> iterations, Verdict verdict, long downtimeNs,
                        long durationNs, long totalBytes, long ramBytes, long deviceBytes, long lostPages,
                        List<String> tracking, List<DeviceSummary> devices) {
    public RunReport {
        iterations = List.copyOf(iterations);
        tracking = List.copyOf(tracking);
        devices = List.copyOf(devices);
    }
}
