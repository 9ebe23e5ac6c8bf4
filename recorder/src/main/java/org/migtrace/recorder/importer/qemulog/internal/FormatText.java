package org.migtrace.recorder.importer.qemulog.internal;

import java.util.Map;

/**
 * The format part of a trace-events declaration as the C compiler reads it: string literals,
 * concatenated, with their escapes, and the {@code PRI*} macros of {@code <inttypes.h>} between
 * them, expanded as on LP64 Linux ({@code " (%s) data 0x%"PRIx64} is {@code " (%s) data 0x%lx"}).
 */
final class FormatText {

    /** {@code PRI*} macros on LP64 Linux, as the C preprocessor expands them. */
    private static final Map<String, String> MACROS = Map.ofEntries(
            Map.entry("PRIu64", "lu"), Map.entry("PRIx64", "lx"), Map.entry("PRIX64", "lX"),
            Map.entry("PRId64", "ld"), Map.entry("PRIi64", "li"), Map.entry("PRIu32", "u"),
            Map.entry("PRIx32", "x"), Map.entry("PRId32", "d"), Map.entry("PRIi32", "i"),
            Map.entry("PRIu16", "u"), Map.entry("PRIx16", "x"), Map.entry("PRIu8", "u"), Map.entry("PRIx8", "x"),
            Map.entry("PRIxPTR", "lx"), Map.entry("PRIuPTR", "lu"));

    private FormatText() {
    }

    /**
     * The printf format of a trace-events format part: its string literals concatenated, C escapes
     * resolved, {@code PRI*} macros expanded.
     *
     * @throws IllegalArgumentException if the text is not literals and known macros
     */
    static String expand(String declared) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = declared.length();
        while (i < n) {
            char ch = declared.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '"') {
                i = literal(declared, i + 1, out);
            } else if (Character.isLetter(ch)) {
                int j = i;
                while (j < n && (Character.isLetterOrDigit(declared.charAt(j)) || declared.charAt(j) == '_')) {
                    j++;
                }
                String macro = MACROS.get(declared.substring(i, j));
                if (macro == null) {
                    throw new IllegalArgumentException("unknown macro " + declared.substring(i, j) + " in " + declared);
                }
                out.append(macro);
                i = j;
            } else {
                throw new IllegalArgumentException("unexpected '" + ch + "' in format " + declared);
            }
        }
        return out.toString();
    }

    /** Appends the literal starting after its opening quote; returns the index after its closing quote. */
    private static int literal(String s, int i, StringBuilder out) {
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '"') {
                return i + 1;
            }
            if (ch == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                out.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> e;
                });
            } else {
                out.append(ch);
            }
            i++;
        }
        throw new IllegalArgumentException("unterminated string literal in " + s);
    }

}
