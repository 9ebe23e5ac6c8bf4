package org.migtrace.recorder.importer.qemulog.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A trace event's format string, compiled into a matcher for the text the {@code log} backend
 * prints from it. The format comes as QEMU's trace-events file writes it: C string literals and
 * {@code PRI*} macros ({@code " (%s) data 0x%"PRIx64}), which {@link #expand} turns into the
 * printf format the compiler sees ({@code " (%s) data 0x%lx"}).
 *
 * <p>Matching reads the text left to right without regular expressions: literals must appear as
 * they are, numbers are read greedily by their conversion ({@code %d} signed decimal, {@code %u}
 * unsigned decimal, {@code %x} hex digits, {@code %p} a pointer or {@code (nil)}, {@code %c} one
 * character), and a {@code %s} takes the shortest text up to where the rest matches (the next
 * literal's occurrences are tried in order, with a bound on attempts, so a long line cannot make
 * matching slow). Only trailing blanks may follow the last part (a %s at the end does not keep them). Formats where a number is followed
 * by a literal its digits could continue, or a {@code %s} by another conversion, are refused when
 * compiled: they cannot be read back unambiguously.
 */
public final class TraceEventFormat {

    /** %s candidates tried per line before giving up (lines are short; this only bounds hostile input). */
    private static final int MAX_ATTEMPTS = 256;

    /** One part of a format: a literal, or a conversion ({@code conv} is d, u, x, o, c, s or p). */
    private record Part(String literal, char conv, boolean spacePadded) {
        boolean isLiteral() {
            return literal != null;
        }
    }

    private final String printf;
    private final List<Part> parts;
    private final char[] convs;

    private TraceEventFormat(String printf, List<Part> parts) {
        this.printf = printf;
        this.parts = parts;
        List<Character> c = new ArrayList<>();
        for (Part p : parts) {
            if (!p.isLiteral()) {
                c.add(p.conv());
            }
        }
        this.convs = new char[c.size()];
        for (int i = 0; i < convs.length; i++) {
            convs[i] = c.get(i);
        }
    }

    /** The printf format of a trace-events format part: {@link FormatText#expand}. */
    public static String expand(String declared) {
        return FormatText.expand(declared);
    }

    /**
     * Compiles a printf format.
     *
     * @throws IllegalArgumentException for conversions it does not know, or a format that cannot be
     *                                  read back unambiguously
     */
    public static TraceEventFormat compile(String printf) {
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < printf.length()) {
            char ch = printf.charAt(i);
            if (ch != '%') {
                lit.append(ch);
                i++;
            } else if (printf.startsWith("%%", i)) {
                lit.append('%');
                i += 2;
            } else {
                literal(parts, lit);
                i = conversion(printf, i + 1, parts);
            }
        }
        literal(parts, lit);
        check(parts, printf);
        return new TraceEventFormat(printf, List.copyOf(parts));
    }

    /** Adds the literal collected so far, if any. */
    private static void literal(List<Part> parts, StringBuilder lit) {
        if (lit.length() > 0) {
            parts.add(new Part(lit.toString(), '\0', false));
            lit.setLength(0);
        }
    }

    /**
     * Adds the conversion whose specification starts at {@code i} (after the {@code %}):
     * {@code [flags][width][.precision][length]type}; returns the index after it.
     */
    private static int conversion(String printf, int i, List<Part> parts) {
        boolean left = false;
        boolean zero = false;
        while (i < printf.length() && "-+ #0".indexOf(printf.charAt(i)) >= 0) {
            left |= printf.charAt(i) == '-';
            zero |= printf.charAt(i) == '0';
            i++;
        }
        int widthStart = i;
        while (i < printf.length() && (Character.isDigit(printf.charAt(i)) || printf.charAt(i) == '.')) {
            i++;
        }
        boolean width = i > widthStart;
        while (i < printf.length() && "hlLqjzt".indexOf(printf.charAt(i)) >= 0) {
            i++;
        }
        if (i >= printf.length()) {
            throw new IllegalArgumentException("conversion without a type at the end of " + printf);
        }
        char conv = normalize(printf.charAt(i), printf);
        if (left && conv != 's') {
            throw new IllegalArgumentException("left-aligned numbers cannot be read back: " + printf);
        }
        parts.add(new Part(null, conv, width && !zero));
        return i + 1;
    }

    private static char normalize(char conv, String printf) {
        return switch (conv) {
            case 'd', 'i' -> 'd';
            case 'u' -> 'u';
            case 'x', 'X' -> 'x';
            case 'o', 'c', 's', 'p' -> conv;
            default -> throw new IllegalArgumentException("conversion %" + conv + " not supported in " + printf);
        };
    }

    /** Refuses formats whose text is ambiguous: %s before a conversion, digits continuing a number. */
    private static void check(List<Part> parts, String printf) {
        for (int k = 0; k + 1 < parts.size(); k++) {
            Part p = parts.get(k);
            Part next = parts.get(k + 1);
            if (p.isLiteral()) {
                continue;
            }
            if (p.conv() == 's' && !next.isLiteral()) {
                throw new IllegalArgumentException("%s followed by a conversion cannot be read back: " + printf);
            }
            if (next.isLiteral() && p.conv() != 's' && p.conv() != 'c' && consumes(p.conv(), next.literal().charAt(0))) {
                throw new IllegalArgumentException("a number followed by '" + next.literal().charAt(0)
                        + "' cannot be read back: " + printf);
            }
            if (!next.isLiteral() && p.conv() != 'c' && next.conv() != 'c') {
                throw new IllegalArgumentException("two conversions without text between them: " + printf);
            }
        }
    }

    /** The printf format this was compiled from. */
    public String printf() {
        return printf;
    }

    /** The number of conversions (the values a match yields). */
    public int conversions() {
        return convs.length;
    }

    /** The {@code i}th conversion: d (signed decimal), u, x, o, c, s or p. */
    public char conversion(int i) {
        return convs[i];
    }

    /**
     * Matches the whole of {@code text}; on success fills {@code values} (one per conversion, the
     * text as printed, without padding) and returns true.
     */
    public boolean match(String text, String[] values) {
        int[] attempts = {0};
        return match(text, 0, 0, 0, values, attempts);
    }

    private boolean match(String text, int pos, int part, int value, String[] values, int[] attempts) {
        if (++attempts[0] > MAX_ATTEMPTS) {
            return false;
        }
        for (int k = part; k < parts.size(); k++) {
            Part p = parts.get(k);
            if (p.isLiteral()) {
                if (!text.startsWith(p.literal(), pos)) {
                    return false;
                }
                pos += p.literal().length();
                continue;
            }
            if (p.conv() == 's') {
                return string(text, pos, k, value, values, attempts);
            }
            int end = scan(p, text, pos);
            if (end < 0) {
                return false;
            }
            values[value++] = text.substring(p.spacePadded() ? skipSpaces(text, pos) : pos, end);
            pos = end;
        }
        return blankFrom(text, pos);
    }

    /** A %s at part {@code k}: the rest of the line when last, else each occurrence of the next literal in turn. */
    private boolean string(String text, int pos, int k, int value, String[] values, int[] attempts) {
        if (k + 1 == parts.size()) {
            values[value] = text.substring(pos).stripTrailing(); // as for every format: trailing blanks are not text
            return true;
        }
        String next = parts.get(k + 1).literal();
        for (int at = text.indexOf(next, pos); at >= 0; at = text.indexOf(next, at + 1)) {
            values[value] = text.substring(pos, at);
            if (match(text, at, k + 1, value + 1, values, attempts)) {
                return true;
            }
            if (attempts[0] > MAX_ATTEMPTS) {
                return false;
            }
        }
        return false;
    }

    /** The end of the number (or char, or pointer) at {@code pos}, or -1 when there is none. */
    private static int scan(Part p, String text, int pos) {
        if (p.spacePadded()) {
            pos = skipSpaces(text, pos);
        }
        int n = text.length();
        switch (p.conv()) {
            case 'c':
                return pos < n ? pos + 1 : -1;
            case 'p':
                if (text.startsWith("(nil)", pos)) {
                    return pos + 5;
                }
                if (!text.startsWith("0x", pos)) {
                    return -1;
                }
                return digits(text, pos + 2, 'x');
            case 'd':
                return digits(text, pos < n && text.charAt(pos) == '-' ? pos + 1 : pos, 'd');
            default:
                return digits(text, pos, p.conv());
        }
    }

    private static int digits(String text, int pos, char conv) {
        int i = pos;
        while (i < text.length() && consumes(conv, text.charAt(i))) {
            i++;
        }
        return i > pos ? i : -1;
    }

    private static boolean consumes(char conv, char ch) {
        return switch (conv) {
            case 'x', 'p' -> Character.digit(ch, 16) >= 0 && ch < 128;
            case 'o' -> ch >= '0' && ch <= '7';
            default -> ch >= '0' && ch <= '9';
        };
    }

    private static int skipSpaces(String text, int pos) {
        while (pos < text.length() && text.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    private static boolean blankFrom(String text, int pos) {
        for (int i = pos; i < text.length(); i++) {
            if (text.charAt(i) != ' ' && text.charAt(i) != '\t') {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return printf;
    }
}
