package org.migtrace.sim.scenario;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A byte rate, a whole number of bytes per second (QEMU's {@code max-bandwidth} is one):
 * {@code 10Gbit/s}, {@code 1.25GB/s}, {@code 512MiB/s}, or a bare number of bytes per second.
 * Bit rates and decimal prefixes are SI ({@code 1Gbit/s} = 125 000 000 B/s); {@code KiB/s} etc.
 * are binary.
 */
public record DataRate(long bytesPerSecond) implements Comparable<DataRate> {
    public static final DataRate ZERO = new DataRate(0);

    static final Map<String, BigDecimal> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("", BigDecimal.ONE);
        UNITS.put("B/s", BigDecimal.ONE);
        UNITS.put("bit/s", BigDecimal.ONE.divide(BigDecimal.valueOf(8)));
        String[] si = {"k", "M", "G", "T"};
        String[] siBytes = {"K", "M", "G", "T"};
        String[] bin = {"Ki", "Mi", "Gi", "Ti"};
        for (int i = 0; i < si.length; i++) {
            BigDecimal dec = Units.pow10(3 * (i + 1));
            UNITS.put(si[i] + "bit/s", dec.divide(BigDecimal.valueOf(8)));
            UNITS.put(siBytes[i] + "B/s", dec);
            UNITS.put(bin[i] + "B/s", Units.pow2(10 * (i + 1)));
        }
    }

    public DataRate {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("negative rate " + bytesPerSecond);
        }
    }

    /**
     * Parses {@code 10Gbit/s}, {@code 1.25GB/s}, {@code 800MiB/s}, {@code 1000000}.
     *
     * @throws IllegalArgumentException for a malformed value, an unknown unit or a fraction of a byte per second
     */
    public static DataRate parse(String text) {
        return new DataRate(Units.parseWhole(text, "rate", "10Gbit/s", UNITS, "bytes per second"));
    }

    /** The bytes transferred in {@code ns} nanoseconds at this rate, rounded down (exact). */
    public long bytesIn(long ns) {
        return java.math.BigInteger.valueOf(bytesPerSecond).multiply(java.math.BigInteger.valueOf(ns))
                .divide(java.math.BigInteger.valueOf(1_000_000_000L)).longValueExact();
    }

    @Override
    public int compareTo(DataRate o) {
        return Long.compare(bytesPerSecond, o.bytesPerSecond);
    }

    @Override
    public String toString() {
        return bytesPerSecond + "B/s";
    }
}
