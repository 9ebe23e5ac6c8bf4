package org.migtrace.sim.scenario;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a number with a unit suffix ({@code 1.25GB/s}, {@code 0x1000}, {@code 300 ms}) against a unit table. */
final class Units {
    private static final Pattern NUMBER_UNIT =
            Pattern.compile("\\s*(0[xX][0-9a-fA-F]+|[0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*([^\\s0-9].*?)?\\s*");

    private Units() {
    }

    /**
     * {@code text}'s number times the factor of its unit. Units match exactly, case included: {@code Gb/s}
     * could mean bits or bytes, so it means neither.
     *
     * @param what       what is being parsed, for messages ({@code "size"})
     * @param example    a well-formed value, for messages ({@code "4KiB"})
     * @param units      unit → factor; the key {@code ""} is the unit of a bare number (absent: a unit is required)
     * @throws IllegalArgumentException for a malformed number or an unknown unit
     */
    static BigDecimal parse(String text, String what, String example, Map<String, BigDecimal> units) {
        Matcher m = NUMBER_UNIT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad " + what + " '" + text + "' (expected a number and a unit, e.g. "
                    + example + ")");
        }
        String num = m.group(1);
        BigDecimal value = num.startsWith("0x") || num.startsWith("0X")
                ? new BigDecimal(new java.math.BigInteger(num.substring(2), 16))
                : new BigDecimal(num);
        String unit = m.group(2) == null ? "" : m.group(2);
        BigDecimal factor = units.get(unit);
        if (factor == null) {
            String msg = unit.isEmpty()
                    ? what + " '" + text + "' needs a unit (" + String.join(", ", units.keySet()) + ")"
                    : "unknown unit '" + unit + "' in " + what + " '" + text + "' (expected "
                            + String.join(", ", units.keySet().stream().filter(k -> !k.isEmpty()).toList()) + ")";
            throw new IllegalArgumentException(msg);
        }
        return value.multiply(factor);
    }

    /**
     * {@link #parse}, for quantities counted in whole units of the table's base ({@code 1.5B} is not a
     * size, {@code 0.5ns} not a duration).
     *
     * @param base  the base unit, for messages ({@code "nanoseconds"})
     * @throws IllegalArgumentException as {@link #parse} does, or for a fraction of the base unit or a
     *                                  value past {@code Long.MAX_VALUE}
     */
    static long parseWhole(String text, String what, String example, Map<String, BigDecimal> units, String base) {
        BigDecimal value = parse(text, what, example, units);
        try {
            long n = value.stripTrailingZeros().longValueExact();
            if (n >= 0) {
                return n;
            }
        } catch (ArithmeticException e) {
            // a fraction, or too large: reported below
        }
        throw new IllegalArgumentException(what + " '" + text + "' is not a whole number of " + base);
    }

    static BigDecimal pow2(int shift) {
        return new BigDecimal(java.math.BigInteger.ONE.shiftLeft(shift));
    }

    static BigDecimal pow10(int exp) {
        return BigDecimal.ONE.scaleByPowerOfTen(exp);
    }
}
