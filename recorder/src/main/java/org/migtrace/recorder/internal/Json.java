package org.migtrace.recorder.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The {@code args} column's JSON: compact, keys in insertion order (deterministic), the bytes
 * Jackson's {@link ObjectMapper} writes for the same maps (strings escaped as Jackson escapes them:
 * {@code "}, {@code \}, and control characters, the usual five by their short form, the rest as
 * {@code \\}{@code u00XX}; everything else as it is). Written by hand into a builder kept per thread: one
 * args value a row, millions of rows.
 */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ThreadLocal<StringBuilder> OUT = ThreadLocal.withInitial(() -> new StringBuilder(256));
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Json() {
    }

    /** {@code value} as compact JSON; null for null. */
    public static String write(Map<String, ?> value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = OUT.get();
        out.setLength(0);
        value(out, value);
        return out.toString();
    }

    /**
     * The object {@code {"in": in, "out": out, keys[0]: values[0], ...}} ({@code n} extra keys, a null
     * part left out) as compact JSON, as {@link #write} writes the map of those entries; null when
     * there is nothing to write.
     */
    public static String write(Map<String, ?> in, Map<String, ?> out, String[] keys, Object[] values, int n) {
        if (in == null && out == null && n == 0) {
            return null;
        }
        StringBuilder b = OUT.get();
        b.setLength(0);
        b.append('{');
        if (in != null) {
            b.append("\"in\":");
            value(b, in);
        }
        if (out != null) {
            b.append(in != null ? ",\"out\":" : "\"out\":");
            value(b, out);
        }
        boolean first = in == null && out == null;
        for (int i = 0; i < n; i++) {
            if (!first) {
                b.append(',');
            }
            first = false;
            string(b, keys[i]);
            b.append(':');
            value(b, values[i]);
        }
        return b.append('}').toString();
    }

    private static void value(StringBuilder b, Object v) {
        if (v instanceof Long l) {
            b.append(l.longValue());
        } else if (v instanceof String s) {
            string(b, s);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v == null) {
            b.append("null");
        } else if (v instanceof Integer i) {
            b.append(i.intValue());
        } else if (v instanceof Boolean x) {
            b.append(x.booleanValue());
        } else if (v instanceof BigInteger x) {
            b.append(x);
        } else if (v instanceof List<?> list) {
            b.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    b.append(',');
                }
                value(b, list.get(i));
            }
            b.append(']');
        } else {
            try {
                b.append(MAPPER.writeValueAsString(v)); // anything else as Jackson writes it
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("args not serializable: " + v, e);
            }
        }
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        int n = s.length();
        int plain = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            b.append(s, plain, i);
            plain = i + 1;
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        b.append(s, plain, n).append('"');
    }
}
