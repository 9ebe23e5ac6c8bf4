package org.migtrace.sim.run;

import java.util.Locale;

/** Human forms of sizes, rates and durations, as verdicts and reports print them (binary prefixes, one decimal). */
public final class Units {
    private static final String[] BIN = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 16.0 GiB}. */
    public static String bytes(long n) {
        double v = n;
        int i = 0;
        while (Math.abs(v) >= 1024 && i < BIN.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, BIN[i]);
    }

    /** {@link #bytes} per second. */
    public static String rate(long bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    /** Nanoseconds as milliseconds with one decimal: {@code 268.0 ms}. */
    public static String millis(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    /** Nanoseconds as seconds with three decimals: {@code 13.502 s}. */
    public static String seconds(long ns) {
        return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    }
}
