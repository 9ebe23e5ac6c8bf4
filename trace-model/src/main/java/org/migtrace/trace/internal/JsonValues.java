package org.migtrace.trace.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Typed values of hand-written JSON: integers as JSON numbers (u64 values up to 2^64 - 1 become
 * their bit pattern, as the columns store them) or as {@code "0x..."} hex strings; text as JSON
 * strings. A value of the wrong type is a {@link BadValue}, which the importer turns into a
 * bad-input error naming the file, line and key.
 */
public final class JsonValues {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private JsonValues() {
    }

    /** A JSON value of the wrong type or range; the message says what was expected and found. */
    public static final class BadValue extends Exception {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message);
        }
    }

    /** The int64 value of {@code node}. */
    public static long int64(JsonNode node) throws BadValue {
        if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.bitLength() <= 63) {
                return v.longValue();
            }
            if (v.signum() > 0 && v.compareTo(TWO_64) < 0) {
                return v.longValue();
            }
            throw new BadValue(v + " does not fit in 64 bits");
        }
        if (node.isTextual()) {
            String s = node.asText().toLowerCase(Locale.ROOT);
            if (s.startsWith("0x") && s.length() > 2 && s.length() <= 18 && s.substring(2).chars().allMatch(
                    ch -> Character.digit(ch, 16) >= 0)) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
        }
        throw new BadValue("expected an integer (or a \"0x...\" hex string), found " + describe(node));
    }

    /** The int32 value of {@code node}. */
    public static int int32(JsonNode node) throws BadValue {
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        throw new BadValue("expected a 32-bit integer, found " + describe(node));
    }

    /** The text of {@code node}. */
    public static String text(JsonNode node) throws BadValue {
        if (node.isTextual()) {
            return node.asText();
        }
        throw new BadValue("expected a string, found " + describe(node));
    }

    private static String describe(JsonNode node) {
        String kind = switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> node.isIntegralNumber() ? "an integer" : "a fraction";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
        String text = node.toString();
        return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
