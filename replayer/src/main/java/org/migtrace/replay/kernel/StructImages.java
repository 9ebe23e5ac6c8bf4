package org.migtrace.replay.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.IdentityHashMap;
import java.util.Map;
import org.migtrace.uapi.StructLayout;

/**
 * A struct laid out from its {@code args} members, kept by the parsed node it came from: a VMM
 * repeats the same calls with the same arguments, and {@link Json#parse} hands out one node per
 * distinct {@code args}, so most structs are copied from here rather than filled member by member.
 * Bounded; emptied when full.
 */
final class StructImages {
    private static final int MAX = 4096;

    /** By node (identity): the layout it was filled as and the bytes. */
    private final Map<JsonNode, Object[]> byNode = new IdentityHashMap<>();

    /**
     * Lays {@code l} out in {@code b} at {@code base}: the members {@code values} has (a JSON integer
     * or {@code "0x..."} string each), zero elsewhere. {@code b} must hold the whole struct there,
     * and be zero there (a fresh buffer).
     */
    void fill(StructLayout l, JsonNode values, byte[] b, int base) {
        Object[] hit = byNode.get(values);
        if (hit == null || hit[0] != l) {
            byte[] image = new byte[l.size()];
            for (StructLayout.Field f : l.fields()) {
                long v = Json.num(values, f.name(), Long.MIN_VALUE);
                if (v != Long.MIN_VALUE || values.has(f.name())) {
                    f.put(image, 0, v);
                }
            }
            if (byNode.size() >= MAX) {
                byNode.clear();
            }
            hit = new Object[] {l, image};
            byNode.put(values, hit);
        }
        System.arraycopy((byte[]) hit[1], 0, b, base, l.size());
    }
}
