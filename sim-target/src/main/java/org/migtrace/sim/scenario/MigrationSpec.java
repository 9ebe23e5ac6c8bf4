package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * The migration parameters the QEMU-like driver uses.
 *
 * @param bandwidth                 {@code max-bandwidth}; default 128MiB/s (QEMU's {@code MAX_THROTTLE})
 * @param downtimeLimit             {@code downtime-limit}; default 300ms; at most 2000s (QEMU's range)
 * @param maxIterations             stop after this many pre-copy iterations without converging; default 100
 * @param qemuVersion               which QEMU's switchover test to apply: below 10, {@code pending < threshold};
 *                                  from 10.0, {@code pending <= threshold}; default "10.0"
 * @param availSwitchoverBandwidth  {@code avail-switchover-bandwidth} (8.2+); 0 = use the measured bandwidth; default 0
 * @param switchoverAck             the {@code switchover-ack} capability; default false
 */
public record MigrationSpec(
        @JsonProperty("bandwidth") DataRate bandwidth,
        @JsonProperty("downtime-limit") Duration downtimeLimit,
        @JsonProperty("max-iterations") Integer maxIterations,
        @JsonProperty("qemu-version") String qemuVersion,
        @JsonProperty("avail-switchover-bandwidth") DataRate availSwitchoverBandwidth,
        @JsonProperty("switchover-ack") Boolean switchoverAck) {

    /** QEMU's {@code MAX_THROTTLE}, the default {@code max-bandwidth}: 128 MiB/s. */
    public static final DataRate QEMU_DEFAULT_BANDWIDTH = new DataRate(128L << 20);
    /** QEMU's {@code DEFAULT_MIGRATE_SET_DOWNTIME}: 300 ms. */
    public static final Duration QEMU_DEFAULT_DOWNTIME = Duration.ofMillis(300);
    /** QEMU's {@code MAX_MIGRATE_DOWNTIME_SECONDS}. */
    public static final Duration QEMU_MAX_DOWNTIME = Duration.ofSeconds(2000);

    public static final MigrationSpec DEFAULT = new MigrationSpec(null, null, null, null, null, null);

    public MigrationSpec {
        bandwidth = bandwidth == null ? QEMU_DEFAULT_BANDWIDTH : bandwidth;
        downtimeLimit = downtimeLimit == null ? QEMU_DEFAULT_DOWNTIME : downtimeLimit;
        maxIterations = maxIterations == null ? 100 : maxIterations;
        qemuVersion = qemuVersion == null ? "10.0" : qemuVersion.trim();
        availSwitchoverBandwidth = availSwitchoverBandwidth == null ? DataRate.ZERO : availSwitchoverBandwidth;
        switchoverAck = switchoverAck == null ? Boolean.FALSE : switchoverAck;
        InvalidFieldException.require(bandwidth.bytesPerSecond() > 0, "bandwidth", "must be positive");
        InvalidFieldException.require(downtimeLimit.compareTo(QEMU_MAX_DOWNTIME) <= 0, "downtime-limit",
                "must be at most 2000s (QEMU's limit)");
        InvalidFieldException.require(maxIterations >= 1, "max-iterations", "must be at least 1");
        InvalidFieldException.require(qemuVersion.matches("[0-9]+(\\.[0-9]+){0,2}"), "qemu-version",
                "'" + qemuVersion + "' is not a version such as 9.2 or 10.0");
    }

    /** The QEMU major version. */
    public int qemuMajor() {
        return Integer.parseInt(qemuVersion.split("\\.")[0]);
    }

    /**
     * Whether the switchover test is {@code pending <= threshold} (QEMU 10.x, the "complete_ready"
     * rewrite of {@code migration_iteration_run}) rather than {@code pending < threshold} (9.x).
     */
    public boolean switchoverInclusive() {
        return qemuMajor() >= 10;
    }
}
