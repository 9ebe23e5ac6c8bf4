package org.migtrace.recorder.internal;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.uapi.StructLayout;

/**
 * A uAPI struct's members as JSON-ready values, by C member name in declaration order: only the
 * members that lie wholly inside the bytes the caller made available (as
 * {@link StructLayout#decode} does), u64 members as unsigned numbers (an IOVA of {@code U64_MAX}
 * is 18446744073709551615, not -1), {@code s32} members signed, embedded structs
 * ({@code bitmap.pgsize}) as nested objects.
 */
public final class StructValues {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private StructValues() {
    }

    /** The members of {@code layout} inside the first {@code available} bytes of {@code bytes} from {@code base}. */
    public static Map<String, Object> decode(StructLayout layout, byte[] bytes, int base, int available) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (StructLayout.Field f : layout.fields()) {
            if (f.end() <= available && base + f.end() <= bytes.length) {
                put(out, f.name(), value(f, f.get(bytes, base)));
            }
        }
        return out;
    }

    /** A member's value as JSON shows it: u64 and pointers unsigned, everything else as read. */
    public static Object value(StructLayout.Field f, long raw) {
        boolean wide = f.kind() == StructLayout.Kind.U64 || f.kind() == StructLayout.Kind.PTR;
        return wide ? unsigned(raw) : (Object) raw;
    }

    /** {@code v} as an unsigned 64-bit number: a {@code Long} below 2^63, a {@code BigInteger} above. */
    public static Object unsigned(long v) {
        return v >= 0 ? (Object) v : BigInteger.valueOf(v).add(TWO_64);
    }

    /** The numeric bit pattern of a decoded value (the inverse of {@link #unsigned}); null if absent. */
    public static Long raw(Object value) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof BigInteger b) {
            return b.longValue();
        }
        return null;
    }

    /** Puts {@code name} into {@code map}, a dotted name ({@code bitmap.pgsize}) into nested maps. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> map, String name, Object value) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            map.put(name, value);
            return;
        }
        Object inner = map.computeIfAbsent(name.substring(0, dot), k -> new LinkedHashMap<String, Object>());
        put((Map<String, Object>) inner, name.substring(dot + 1), value);
    }
}
