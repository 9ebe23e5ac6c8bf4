package org.migtrace.trace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.arrow.memory.ArrowBuf;

/**
 * The values of one column as a reader that goes through every row hands them out: a trace repeats
 * the same texts row after row (ops, kinds, hosts, device names, and the {@code args} of a call the
 * VMM repeats), so each distinct text is decoded and checked as UTF-8 once and its {@link String}
 * shared by every row that has it; likewise the boxes of numbers. A direct-mapped table keyed by
 * the value's hash: a miss replaces the slot, so memory stays bounded whatever the trace holds.
 */
final class SharedValues {
    private static final int SLOTS = 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Longer texts are decoded each time: they rarely repeat, and would pin memory. */
    private static final int MAX_LENGTH = 4 << 10;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];
    private final Long[] longs = new Long[SLOTS];
    private final Integer[] ints = new Integer[SLOTS];
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] scratch = new byte[256];

    /**
     * The text of bytes {@code [start, end)} of {@code data}.
     *
     * @throws CharacterCodingException if they are not UTF-8
     */
    String text(ArrowBuf data, long start, int length) throws CharacterCodingException {
        if (length > MAX_LENGTH) {
            byte[] b = new byte[length];
            data.getBytes(start, b, 0, length);
            return decode(b, length);
        }
        if (scratch.length < length) {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        byte[] b = scratch;
        data.getBytes(start, b, 0, length);
        int slot = slot(b, length);
        byte[] key = keys[slot];
        if (key != null && Arrays.equals(key, 0, key.length, b, 0, length)) {
            return texts[slot];
        }
        String s = decode(b, length);
        keys[slot] = Arrays.copyOf(b, length);
        texts[slot] = s;
        return s;
    }

    /** A slot by a hash of the bytes, 8 at a time (the {@code args} of a row are a few hundred). */
    private static int slot(byte[] b, int length) {
        long h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++) {
            h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 32) & (SLOTS - 1);
    }

    private String decode(byte[] b, int length) throws CharacterCodingException {
        boolean ascii = true;
        for (int i = 0; i < length && ascii; i++) {
            ascii = b[i] >= 0;
        }
        if (ascii) {
            return new String(b, 0, length, StandardCharsets.ISO_8859_1);
        }
        CharBuffer chars = utf8.reset().decode(ByteBuffer.wrap(b, 0, length));
        return chars.toString();
    }

    Long box(long v) {
        int slot = (int) (v ^ (v >>> 32)) & (SLOTS - 1);
        Long box = longs[slot];
        if (box == null || box != v) {
            box = v;
            longs[slot] = box;
        }
        return box;
    }

    Integer box(int v) {
        int slot = v & (SLOTS - 1);
        Integer box = ints[slot];
        if (box == null || box != v) {
            box = v;
            ints[slot] = box;
        }
        return box;
    }
}
