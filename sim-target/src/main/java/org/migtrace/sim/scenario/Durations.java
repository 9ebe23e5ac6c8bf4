package org.migtrace.sim.scenario;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parses durations written with a unit: {@code 300ms}, {@code 1.5s}, {@code 250us}, {@code 2min}. */
public final class Durations {
    private static final Map<String, BigDecimal> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("ns", BigDecimal.ONE);
        UNITS.put("us", Units.pow10(3));
        UNITS.put("µs", Units.pow10(3));
        UNITS.put("ms", Units.pow10(6));
        UNITS.put("s", Units.pow10(9));
        UNITS.put("min", Units.pow10(9).multiply(BigDecimal.valueOf(60)));
        UNITS.put("h", Units.pow10(9).multiply(BigDecimal.valueOf(3600)));
    }

    private Durations() {
    }

    /**
     * Parses {@code 300ms}, {@code 1.5s}; a unit is required.
     *
     * @throws IllegalArgumentException for a malformed value, a missing or unknown unit, or a fraction of a nanosecond
     */
    public static Duration parse(String text) {
        return Duration.ofNanos(Units.parseWhole(text, "duration", "300ms", UNITS, "nanoseconds"));
    }

    /** {@code 300ms}, {@code 1500us}: the largest unit that keeps the value whole. */
    public static String format(Duration d) {
        long ns = d.toNanos();
        if (ns != 0 && ns % 1_000_000_000L == 0) {
            return ns / 1_000_000_000L + "s";
        }
        if (ns != 0 && ns % 1_000_000L == 0) {
            return ns / 1_000_000L + "ms";
        }
        if (ns != 0 && ns % 1_000L == 0) {
            return ns / 1_000L + "us";
        }
        return ns + "ns";
    }
}
