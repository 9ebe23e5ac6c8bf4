package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Bursts: time is cut into periods of {@code on + off}, starting at time zero; during the first
 * {@code on} of each period the workload's rate is multiplied by {@code multiplier}, during the rest
 * by {@code offMultiplier}.
 *
 * @param on             burst length; required, positive
 * @param off            gap length; required, not negative
 * @param multiplier     rate factor during bursts; required, not negative
 * @param offMultiplier  rate factor between bursts; default 1 (0 makes the workload idle between bursts)
 */
public record BurstSpec(
        @JsonProperty("on") Duration on,
        @JsonProperty("off") Duration off,
        @JsonProperty("multiplier") BigDecimal multiplier,
        @JsonProperty("off-multiplier") BigDecimal offMultiplier) {

    public BurstSpec {
        if (on == null) {
            throw InvalidFieldException.missing("on");
        }
        if (off == null) {
            throw InvalidFieldException.missing("off");
        }
        if (multiplier == null) {
            throw InvalidFieldException.missing("multiplier");
        }
        offMultiplier = offMultiplier == null ? BigDecimal.ONE : offMultiplier;
        InvalidFieldException.require(on.toNanos() > 0, "on", "must be positive");
        InvalidFieldException.require(!off.isNegative(), "off", "must not be negative");
        InvalidFieldException.require(multiplier.signum() >= 0, "multiplier", "must not be negative");
        InvalidFieldException.require(offMultiplier.signum() >= 0, "off-multiplier", "must not be negative");
    }

    /** The length of one period, in ns. */
    public long periodNs() {
        return Math.addExact(on.toNanos(), off.toNanos());
    }
}
