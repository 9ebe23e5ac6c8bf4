package org.migtrace.recorder.importer.qemulog.internal;

import java.util.Locale;

/** What a trace event argument's C type makes of the value printed for it. */
public enum ArgKind {
    /** {@code char *}, {@code const char *}: printed with %s. */
    STRING,
    /** {@code void *} and other pointers: printed with %p, kept as text. */
    POINTER,
    /** {@code char}: printed with %c. */
    CHAR,
    /** {@code bool}: printed as 0 or 1. */
    BOOL,
    /** {@code int}, {@code int64_t}, {@code long}, ... */
    SIGNED,
    /** {@code uint64_t}, {@code unsigned}, {@code size_t}, ... */
    UNSIGNED;

    /** The kind of a C type as trace-events files write it ({@code const char *}, {@code uint64_t}). */
    public static ArgKind of(String cType) {
        String t = cType.replace("const", "").trim().toLowerCase(Locale.ROOT);
        if (t.contains("*")) {
            return t.replace("*", "").trim().equals("char") ? STRING : POINTER;
        }
        if (t.equals("bool")) {
            return BOOL;
        }
        if (t.equals("char")) {
            return CHAR;
        }
        if (t.startsWith("uint") || t.startsWith("unsigned") || t.equals("size_t") || t.equals("ram_addr_t")
                || t.equals("hwaddr")) {
            return UNSIGNED;
        }
        return SIGNED;
    }

    /** Whether a value of this kind may be printed with conversion {@code conv} (d, u, x, o, c, s, p). */
    public boolean printableWith(char conv) {
        return switch (this) {
            case STRING -> conv == 's';
            case POINTER -> conv == 'p';
            case CHAR -> conv == 'c';
            default -> conv == 'd' || conv == 'u' || conv == 'x' || conv == 'o';
        };
    }
}
