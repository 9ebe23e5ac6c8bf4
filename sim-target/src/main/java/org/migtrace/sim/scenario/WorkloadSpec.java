package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a writer (the guest's vCPUs, or one device's DMA) does to guest memory: which pages, how many
 * per second, in bursts or not.
 *
 * @param pattern   uniform, hot-set, zipf or sweep; default uniform
 * @param rate      page writes per second ({@code 200000 pages/s}, or a byte rate such as {@code 1GB/s}
 *                  counted in 4 KiB pages); required
 * @param fraction  hot-set only: the share of the range that is hot, in (0, 1]; default 0.1
 * @param offset    hot-set only: where the hot set starts, as a share of the range; default 0
 * @param s         zipf only: the exponent, positive; default 1.0
 * @param burst     on/off periods with rate multipliers; default none
 * @param range     device DMA only: the IOVA range written; default all guest RAM
 */
public record WorkloadSpec(
        @JsonProperty("pattern") AccessPattern pattern,
        @JsonProperty("rate") PageRate rate,
        @JsonProperty("fraction") Double fraction,
        @JsonProperty("offset") Double offset,
        @JsonProperty("s") Double s,
        @JsonProperty("burst") BurstSpec burst,
        @JsonProperty("range") RangeSpec range) {

    /** Writes nothing. */
    public static final WorkloadSpec IDLE = new WorkloadSpec(AccessPattern.UNIFORM, PageRate.ZERO, null, null, null,
            null, null);

    public WorkloadSpec {
        pattern = pattern == null ? AccessPattern.UNIFORM : pattern;
        if (rate == null) {
            throw InvalidFieldException.missing("rate");
        }
        onlyFor(fraction, AccessPattern.HOT_SET, pattern, "fraction");
        onlyFor(offset, AccessPattern.HOT_SET, pattern, "offset");
        onlyFor(s, AccessPattern.ZIPF, pattern, "s");
        if (pattern == AccessPattern.HOT_SET) {
            fraction = fraction == null ? 0.1 : fraction;
            offset = offset == null ? 0.0 : offset;
            InvalidFieldException.require(fraction > 0 && fraction <= 1, "fraction", "must be in (0, 1]");
            InvalidFieldException.require(offset >= 0 && offset + fraction <= 1 + 1e-12, "offset",
                    "must be in [0, 1 - fraction] so that the hot set fits in the range");
        }
        if (pattern == AccessPattern.ZIPF) {
            s = s == null ? 1.0 : s;
            InvalidFieldException.require(s > 0 && Double.isFinite(s), "s", "must be a positive exponent");
        }
    }

    /** A workload of {@code pattern} at {@code rate}, with the pattern's default parameters. */
    public static WorkloadSpec of(AccessPattern pattern, PageRate rate) {
        return new WorkloadSpec(pattern, rate, null, null, null, null, null);
    }

    /** Whether the workload never writes. */
    public boolean isIdle() {
        return rate.isZero() || (burst != null && burst.multiplier().signum() == 0
                && burst.offMultiplier().signum() == 0);
    }

    private static void onlyFor(Object value, AccessPattern wanted, AccessPattern actual, String field) {
        InvalidFieldException.require(value == null || actual == wanted, field,
                "applies only to pattern " + wanted.label() + ", not " + actual.label());
    }
}
