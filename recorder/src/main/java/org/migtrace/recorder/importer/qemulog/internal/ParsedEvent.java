package org.migtrace.recorder.importer.qemulog.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.recorder.internal.StructValues;

/**
 * A trace event read from a log line: the form that matched and its values, each as printed. Numbers
 * are available as their 64-bit pattern ({@link #bits}), the way the trace's integer columns store
 * them, and as JSON values for {@code args} ({@link #args}): unsigned conversions as unsigned
 * decimal, signed ones as signed, {@code bool} arguments as booleans, strings and pointers as text.
 */
public final class ParsedEvent {
    private final EventDecl decl;
    private final String[] texts;
    private final long[] bits;

    private ParsedEvent(EventDecl decl, String[] texts, long[] bits) {
        this.decl = decl;
        this.texts = texts;
        this.bits = bits;
    }

    /**
     * {@code rest} (the line after the event name and its space) read with the first form of
     * {@code forms} that matches the whole of it; null when none does.
     */
    public static ParsedEvent parse(Iterable<EventDecl> forms, String rest) {
        for (EventDecl d : forms) {
            String[] texts = new String[d.args().size()];
            if (!d.format().match(rest, texts)) {
                continue;
            }
            long[] bits = numbers(d, texts);
            if (bits != null) {
                return new ParsedEvent(d, texts, bits);
            }
        }
        return null;
    }

    /** The numbers of a structural match; null when one does not fit in 64 bits. */
    private static long[] numbers(EventDecl d, String[] texts) {
        long[] bits = new long[texts.length];
        try {
            for (int i = 0; i < texts.length; i++) {
                bits[i] = switch (d.format().conversion(i)) {
                    case 'd' -> Long.parseLong(texts[i]);
                    case 'u' -> Long.parseUnsignedLong(texts[i]);
                    case 'x' -> Long.parseUnsignedLong(texts[i], 16);
                    case 'o' -> Long.parseUnsignedLong(texts[i], 8);
                    default -> 0;
                };
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return bits;
    }

    /** The form that matched. */
    public EventDecl decl() {
        return decl;
    }

    /** The event name. */
    public String name() {
        return decl.name();
    }

    /** Whether the form has an argument called {@code arg}. */
    public boolean has(String arg) {
        return decl.indexOf(arg) >= 0;
    }

    /** The text printed for {@code arg}, or null when the form has no such argument. */
    public String text(String arg) {
        int i = decl.indexOf(arg);
        return i < 0 ? null : texts[i];
    }

    /** The 64-bit pattern of numeric {@code arg}, or null when the form has no such numeric argument. */
    public Long bits(String arg) {
        int i = decl.indexOf(arg);
        if (i < 0 || !isNumber(i)) {
            return null;
        }
        return bits[i];
    }

    /** {@link #bits}, or 0 when absent. */
    public long bitsOrZero(String arg) {
        Long b = bits(arg);
        return b == null ? 0 : b;
    }

    private boolean isNumber(int i) {
        char c = decl.format().conversion(i);
        return c == 'd' || c == 'u' || c == 'x' || c == 'o';
    }

    /** Every argument by its trace-events name, in declaration order, as JSON values. */
    public Map<String, Object> args() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < texts.length; i++) {
            EventDecl.Arg a = decl.args().get(i);
            out.put(a.name(), value(i, a));
        }
        return out;
    }

    private Object value(int i, EventDecl.Arg a) {
        if (!isNumber(i)) {
            return texts[i];
        }
        if (a.kind() == ArgKind.BOOL) {
            return bits[i] != 0;
        }
        return decl.format().conversion(i) == 'd' ? (Object) bits[i] : StructValues.unsigned(bits[i]);
    }
}
