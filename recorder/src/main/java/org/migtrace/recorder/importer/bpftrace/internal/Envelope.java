package org.migtrace.recorder.importer.bpftrace.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of {@code bpftrace -f json} output: its {@code type}, its {@code data} (the text of a
 * {@code printf}, {@code time}, {@code cat}...; a tree for {@code map}, {@code hist},
 * {@code lost_events}...), and the other top-level members (the {@code count} of 0.24+, the
 * {@code msg}, {@code helper}, {@code retcode}, {@code filename}, {@code line}, {@code col} of
 * errors). Reused from line to line by {@link EnvelopeReader}: copy what must outlive the next line.
 */
public final class Envelope {
    String type;
    /** A string {@code data}, UTF-8. */
    byte[] text = new byte[512];
    int textLength;
    boolean hasText;
    JsonNode tree;
    final Map<String, JsonNode> members = new LinkedHashMap<>();
    long line;
    /** The reader's {@link Payload} already holds this printf line, parsed from its escaped form. */
    boolean payloadParsed;
    /** The reader that still has to unescape the text (it was parsed without), or null. */
    EnvelopeReader unescaper;

    void reset(long lineNr) {
        type = null;
        payloadParsed = false;
        unescaper = null;
        hasText = false;
        textLength = 0;
        tree = null;
        members.clear();
        line = lineNr;
    }

    /** Unescapes the text now if it was left escaped (only the current line's text can be). */
    private void unescaped() {
        EnvelopeReader r = unescaper;
        if (r != null) {
            unescaper = null;
            r.unescapeCurrent();
        }
    }

    /** A copy that outlives the reader's next line. */
    Envelope copy() {
        unescaped();
        Envelope c = new Envelope();
        c.type = type;
        c.text = java.util.Arrays.copyOf(text, textLength);
        c.textLength = textLength;
        c.hasText = hasText;
        c.tree = tree;
        c.members.putAll(members);
        c.line = line;
        return c;
    }

    /** Sets the string {@code data} from Jackson's characters. */
    void text(char[] chars, int offset, int length) {
        byte[] utf8 = null;
        for (int i = 0; i < length; i++) {
            if (chars[offset + i] >= 0x80) {
                utf8 = new String(chars, offset, length).getBytes(StandardCharsets.UTF_8);
                break;
            }
        }
        int n = utf8 == null ? length : utf8.length;
        if (n > text.length) {
            text = new byte[Math.max(n, text.length * 2)];
        }
        if (utf8 != null) {
            System.arraycopy(utf8, 0, text, 0, n);
        } else {
            for (int i = 0; i < length; i++) {
                text[i] = (byte) chars[offset + i];
            }
        }
        textLength = n;
        hasText = true;
    }

    /** The {@code type} member; null when the line has none. */
    public String type() {
        return type;
    }

    /** The 1-based line the object starts on. */
    public long line() {
        return line;
    }

    /** Whether {@code data} is a string (printf, time, cat...). */
    public boolean hasText() {
        return hasText;
    }

    /** The UTF-8 bytes of a string {@code data} (valid up to {@link #textLength()}, until the next line). */
    public byte[] textBytes() {
        unescaped();
        return text;
    }

    public int textLength() {
        unescaped();
        return textLength;
    }

    /** The string {@code data} as a String. */
    public String text() {
        unescaped();
        return new String(text, 0, textLength, StandardCharsets.UTF_8);
    }

    /** A non-string {@code data} (object, array, number), or null. */
    public JsonNode tree() {
        return tree;
    }

    /** A top-level member other than {@code type} and {@code data}, or null. */
    public JsonNode member(String name) {
        return members.get(name);
    }

    /** Every top-level member other than {@code type} and {@code data}, in order. */
    public Map<String, JsonNode> members() {
        return members;
    }
}
