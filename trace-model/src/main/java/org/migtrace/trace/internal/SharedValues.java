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
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * The values of one column as a reader that goes through every row hands them out: a trace repeats
 * the same texts row after row (ops, kinds, hosts, device names, and the {@code args} of a call the
 * VMM repeats), so each distinct text is decoded and checked as UTF-8 once and its {@link String}
 * shared by every row that has it; likewise the boxes of numbers. A direct-mapped table keyed by
 * the value's hash: a miss replaces the slot, so memory stays bounded whatever the trace holds.
 */
final class SharedValues {
    private static final int SLOTS = 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    /** Longer texts are decoded each time: they rarely repeat, and would pin memory. */
    private static final int MAX_LENGTH = 4 << 10;

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] texts = new String[SLOTS];
    private final Long[] longs = new Long[SLOTS];
    private final Integer[] ints = new Integer[SLOTS];
    /**
     * The text handed out last and its bytes: a column often repeats the row before (host, actor,
     * kind, the object of a run of calls), told by one compare, before any hashing.
     */
    private byte[] lastKey;
    private String lastText;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);

    /**
     * The text of the {@code length} bytes at native address {@code at} (inside a loaded batch's data
     * buffer): hashed and compared in place, 8 bytes at a time, and copied only when it is a text
     * this column has not had in its slot.
     *
     * @throws CharacterCodingException if they are not UTF-8
     */
    String text(long at, int length) throws CharacterCodingException {
        if (length > MAX_LENGTH) {
            byte[] b = new byte[length];
            MemoryUtil.copyFromMemory(at, b, 0, length);
            return decode(b, length);
        }
        if (lastKey != null && lastKey.length == length && sameBytes(lastKey, at, length)) {
            return lastText;
        }
        int slot = slot(at, length);
        byte[] key = keys[slot];
        if (key == null || key.length != length || !sameBytes(key, at, length)) {
            key = new byte[length];
            MemoryUtil.copyFromMemory(at, key, 0, length);
            String text = decode(key, length); // bytes that are not UTF-8 throw before taking the slot
            keys[slot] = key;
            texts[slot] = text;
        }
        lastKey = key;
        lastText = texts[slot];
        return lastText;
    }

    /** A slot by a hash of the bytes, 8 at a time (the {@code args} of a row are a few hundred). */
    private static int slot(long at, int length) {
        long h = length;
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = (h ^ MemoryUtil.getLong(at + i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < length; i++) {
            h = (h ^ MemoryUtil.getByte(at + i)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h >>> 32) & (SLOTS - 1);
    }

    private static boolean sameBytes(byte[] key, long at, int length) {
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            if ((long) LONGS.get(key, i) != MemoryUtil.getLong(at + i)) {
                return false;
            }
        }
        for (; i < length; i++) {
            if (key[i] != MemoryUtil.getByte(at + i)) {
                return false;
            }
        }
        return true;
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
