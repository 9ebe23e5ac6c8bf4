package org.migtrace.sim.run.internal;

import java.util.Locale;

/** Human forms of sizes, rates and durations for verdict messages (binary prefixes, one decimal). */
final class Units {
    private static final String[] BIN = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Units() {
    }

    static String bytes(long n) {
        double v = n;
        int i = 0;
        while (Math.abs(v) >= 1024 && i < BIN.length - 1) {
            v /= 1024;
            i++;
        }
        return i == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, BIN[i]);
    }

    static String rate(long bytesPerSecond) {
        return bytes(bytesPerSecond) + "/s";
    }

    static String millis(long ns) {
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }
}
