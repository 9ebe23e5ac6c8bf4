package org.migtrace.sim.guest;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Random streams derived from a scenario's seed and a stable stream name ({@code cpu},
 * {@code dma:0000:3b:00.1}), so that adding a device never changes what the CPU workload writes,
 * and the same seed always gives the same run. No wall clock, no unseeded randomness.
 */
public final class Seeds {
    private Seeds() {
    }

    /** The seed of stream {@code name} under scenario seed {@code seed}. */
    public static long stream(long seed, String name) {
        long h = 0xcbf2_9ce4_8422_2325L; // FNV-1a 64 over the name's UTF-8 bytes: stable across JVMs
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100_0000_01b3L;
        }
        return mix(mix(seed) ^ h);
    }

    /** A generator for stream {@code name} under scenario seed {@code seed}. */
    public static SplittableRandom random(long seed, String name) {
        return new SplittableRandom(stream(seed, name));
    }

    /** The SplitMix64 finalizer: a bijection that spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58_476d_1ce4_e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d0_49bb_1331_11ebL;
        return z ^ (z >>> 31);
    }
}
