package org.migtrace.trace.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * UTF-8 bytes of the short strings a trace repeats on every row (ops, kinds, actors, thread and
 * device names), encoded once. Long strings (the {@code args} JSON) are encoded each time; the
 * cache stops growing at {@link #MAX_ENTRIES} so that a capture of unique strings stays bounded.
 */
final class Utf8Cache {

    static final int MAX_ENTRIES = 4096;
    private static final int MAX_LENGTH = 64;

    private final Map<String, byte[]> cache = new HashMap<>();
    /** The last instances looked up, by identity: producers pass the same String instances row after row. */
    private final String[] recentKeys = new String[1024];
    private final byte[][] recentBytes = new byte[1024][];

    byte[] bytes(String s) {
        if (s.length() > MAX_LENGTH) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        int slot = System.identityHashCode(s) & (recentKeys.length - 1);
        if (recentKeys[slot] == s) {
            return recentBytes[slot];
        }
        byte[] b = cache.get(s);
        if (b == null) {
            b = s.getBytes(StandardCharsets.UTF_8);
            if (cache.size() < MAX_ENTRIES) {
                cache.put(s, b);
            }
        }
        recentKeys[slot] = s;
        recentBytes[slot] = b;
        return b;
    }
}
