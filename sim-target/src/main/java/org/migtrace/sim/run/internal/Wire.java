package org.migtrace.sim.run.internal;

import org.migtrace.sim.SimClock;

/**
 * The migration stream's link and QEMU's rate limiter ({@code migration/migration.c}:
 * {@code migration_rate_limit}, {@code migration_update_counters}; {@code migration-stats.c}).
 *
 * <p>The link carries exactly {@code max-bandwidth}: putting {@code n} bytes on it takes
 * {@code n / bandwidth} of virtual time (carried remainders keep the total exact). The rate limiter
 * allows {@code bandwidth / XFER_LIMIT_RATIO} bytes per {@code BUFFER_DELAY} window of 100 ms; at
 * the end of each window it measures the bandwidth of the window (bytes sent over the window's
 * length) and sets the switchover threshold to that bandwidth (or {@code avail-switchover-bandwidth}
 * when set) times the downtime limit. Until the first window closes the threshold is 0, as in QEMU.
 */
final class Wire {
    /** {@code BUFFER_DELAY}. */
    static final long WINDOW_NS = 100_000_000L;
    /** {@code XFER_LIMIT_RATIO}. */
    static final int XFER_LIMIT_RATIO = 10;
    private static final long NS_PER_S = 1_000_000_000L;

    private final SimClock clock;
    private final long bandwidth;
    private final long availSwitchover;
    private final long downtimeLimitNs;
    private long carry;
    private long totalBytes;
    private long windowStart;
    private long windowStartBytes;
    private long windowUsed;
    private long measuredBandwidth;
    private long threshold;
    private boolean limited = true;

    /**
     * @param bandwidth        {@code max-bandwidth}, bytes/s
     * @param availSwitchover  {@code avail-switchover-bandwidth}, bytes/s (0: use the measured one)
     * @param downtimeLimitNs  {@code downtime-limit}
     */
    Wire(SimClock clock, long bandwidth, long availSwitchover, long downtimeLimitNs) {
        this.clock = clock;
        this.bandwidth = bandwidth;
        this.availSwitchover = availSwitchover;
        this.downtimeLimitNs = downtimeLimitNs;
    }

    /** Opens the first window now ({@code migration_thread} sets {@code iteration_start_time}). */
    void start() {
        windowStart = clock.nanos();
        windowStartBytes = totalBytes;
        windowUsed = 0;
    }

    /** Puts {@code bytes} on the link: the clock moves by their transmission time. */
    void send(long bytes) {
        if (bytes <= 0) {
            return;
        }
        long remaining = bytes;
        while (remaining > 0) {
            long n = Math.min(remaining, 1L << 32); // keeps n * 1e9 inside a long
            long scaled = n * NS_PER_S + carry;
            clock.advance(scaled / bandwidth);
            carry = scaled % bandwidth;
            remaining -= n;
        }
        totalBytes += bytes;
        windowUsed += bytes;
    }

    /** {@code migration_rate_exceeded}: this window's budget is spent. */
    boolean exceeded() {
        return limited && windowUsed >= budget();
    }

    /** Bytes the window still allows (everything once the limit is off). */
    long remaining() {
        return limited ? Math.max(0, budget() - windowUsed) : Long.MAX_VALUE;
    }

    /** {@code migration_rate_set(RATE_LIMIT_DISABLED)}: the completion sends at link speed. */
    void disableLimit() {
        limited = false;
    }

    private long budget() {
        return bandwidth / XFER_LIMIT_RATIO;
    }

    /**
     * {@code migration_update_counters}: once a window has lasted {@code BUFFER_DELAY}, measure its
     * bandwidth, set the threshold and open the next window.
     */
    void updateCounters() {
        long now = clock.nanos();
        if (now < windowStart + WINDOW_NS) {
            return;
        }
        long transferred = totalBytes - windowStartBytes;
        long spent = now - windowStart;
        measuredBandwidth = (long) ((double) transferred * NS_PER_S / spent);
        long expected = availSwitchover != 0 ? availSwitchover : measuredBandwidth;
        threshold = (long) ((double) expected * downtimeLimitNs / NS_PER_S);
        windowStart = now;
        windowStartBytes = totalBytes;
        windowUsed = 0;
    }

    /**
     * {@code migration_rate_limit}: update the counters; if the budget is spent, wait for the
     * window's end.
     */
    void rateLimit() {
        updateCounters();
        if (exceeded()) {
            clock.advanceTo(windowStart + WINDOW_NS);
        }
    }

    /** Idles until the current window ends (a thread loop that found nothing to do). */
    void waitWindow() {
        clock.advanceTo(windowStart + WINDOW_NS);
    }

    long totalBytes() {
        return totalBytes;
    }

    /** Bytes per second of the last complete window. */
    long measuredBandwidth() {
        return measuredBandwidth;
    }

    /** {@code threshold_size}. */
    long threshold() {
        return threshold;
    }

    long bandwidth() {
        return bandwidth;
    }

    long downtimeLimitNs() {
        return downtimeLimitNs;
    }
}
