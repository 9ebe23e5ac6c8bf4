package org.migtrace.sim.scenario;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A size in bytes, written with a unit: {@code 4KiB}, {@code 2MiB}, {@code 1TiB} (binary),
 * {@code 500MB} (decimal), {@code 16G} (binary, as QEMU's {@code -m}), a bare number of bytes, or
 * a hex address such as {@code 0x100000000}. Fractions are fine when the result is a whole number
 * of bytes ({@code 1.5GiB}).
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    public static final ByteSize ZERO = new ByteSize(0);
    public static final ByteSize SZ_4K = new ByteSize(4096);
    public static final ByteSize SZ_2M = new ByteSize(2L << 20);
    public static final ByteSize SZ_1G = new ByteSize(1L << 30);

    static final Map<String, BigDecimal> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("", BigDecimal.ONE);
        UNITS.put("B", BigDecimal.ONE);
        String[] bin = {"Ki", "Mi", "Gi", "Ti", "Pi"};
        String[] si = {"K", "M", "G", "T", "P"};
        for (int i = 0; i < bin.length; i++) {
            UNITS.put(bin[i] + "B", Units.pow2(10 * (i + 1)));
            UNITS.put(si[i] + "B", Units.pow10(3 * (i + 1)));
            UNITS.put(si[i], Units.pow2(10 * (i + 1)));
        }
    }

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }

    /**
     * Parses {@code 4KiB}, {@code 1.25GB}, {@code 0x1000}, {@code 4096}.
     *
     * @throws IllegalArgumentException for a malformed value, an unknown unit or a fraction of a byte
     */
    public static ByteSize parse(String text) {
        return new ByteSize(Units.parseWhole(text, "size", "4KiB", UNITS, "bytes below 2^63"));
    }

    /** Whether this is a power of two. */
    public boolean isPowerOfTwo() {
        return Long.bitCount(bytes) == 1;
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** The shortest exact form: {@code 2MiB}, {@code 1536KiB}, {@code 12345B}. */
    @Override
    public String toString() {
        String[] names = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        long v = bytes;
        int i = 0;
        while (v != 0 && (v & 1023) == 0 && i < names.length - 1) {
            v >>>= 10;
            i++;
        }
        return v + names[i];
    }
}
