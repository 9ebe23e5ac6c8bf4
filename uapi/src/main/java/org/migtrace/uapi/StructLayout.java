package org.migtrace.uapi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of one uAPI struct on x86_64 (little-endian, natural alignment: a {@code u64}
 * or {@code __aligned_u64} starts on an 8-byte boundary and the struct's size is rounded to its
 * largest member's alignment, exactly as gcc lays it out).
 *
 * <p>The kernel model reads arguments through it like {@code copy_from_user} followed by field
 * access; the VMM side writes them; the recorder decodes them generically into named values.
 */
public final class StructLayout {

    /** How a field is stored. */
    public enum Kind {
        U8(1), U16(2), U32(4), S32(4), U64(8), /** A user pointer ({@code __u64}). */ PTR(8);

        private final int width;

        Kind(int width) {
            this.width = width;
        }

        /** The width in bytes (also the alignment). */
        public int width() {
            return width;
        }
    }

    /** One member: its name, byte offset and kind. */
    public record Field(String name, int offset, Kind kind) {
        /** Offset of the first byte after this field ({@code offsetofend}). */
        public int end() {
            return offset + kind.width;
        }

        /** Reads this field from {@code bytes} where the struct starts at {@code base}. */
        public long get(byte[] bytes, int base) {
            int at = base + offset;
            switch (kind) {
                case U8: return bytes[at] & 0xFFL;
                case U16: return ((short) SHORT.get(bytes, at)) & 0xFFFFL;
                case U32: return ((int) INT.get(bytes, at)) & 0xFFFF_FFFFL;
                case S32: return (int) INT.get(bytes, at);
                default: return (long) LONG.get(bytes, at);
            }
        }

        /** Writes this field (truncating the value to the field's width). */
        public void put(byte[] bytes, int base, long value) {
            int at = base + offset;
            switch (kind) {
                case U8: bytes[at] = (byte) value; break;
                case U16: SHORT.set(bytes, at, (short) value); break;
                case U32: case S32: INT.set(bytes, at, (int) value); break;
                default: LONG.set(bytes, at, value); break;
            }
        }
    }

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final int size;
    private final Map<String, Field> fields;
    private final List<Field> inOrder;
    /** Members looked up lately, by the identity of the name asked for ({@link #field}). */
    private final Asked[] recent = new Asked[RECENT];

    /** A member and a String instance of its name it was asked for by. */
    private record Asked(String name, Field field) {
    }

    private static final int RECENT = 16;

    private StructLayout(String name, int size, Map<String, Field> fields) {
        this.name = name;
        this.size = size;
        this.fields = Collections.unmodifiableMap(fields);
        this.inOrder = List.copyOf(fields.values());
    }

    /** Starts a struct named as in the C header ({@code vfio_device_feature}). */
    public static Builder struct(String name) {
        return new Builder(name);
    }

    /** The C name. */
    public String name() {
        return name;
    }

    /** {@code sizeof(struct ...)}. */
    public int size() {
        return size;
    }

    /** The members in declaration order. */
    public List<Field> fields() {
        return inOrder;
    }

    /** The member with this name. */
    public Field field(String fieldName) {
        int slot = System.identityHashCode(fieldName) & (RECENT - 1);
        Asked r = recent[slot];
        if (r != null && r.name == fieldName) {
            return r.field; // the simulated kernel asks for the same few members, by the same literals, call after call
        }
        Field f = fields.get(fieldName);
        if (f == null) {
            throw new IllegalArgumentException("struct " + name + " has no member " + fieldName);
        }
        recent[slot] = new Asked(fieldName, f); // one reference to a record (final fields): safe to race on
        return f;
    }

    /** {@code offsetof(struct, field)}. */
    public int offset(String fieldName) {
        return field(fieldName).offset();
    }

    /** {@code offsetofend(struct, field)}: the kernel's usual {@code minsz}. */
    public int offsetOfEnd(String fieldName) {
        return field(fieldName).end();
    }

    /**
     * Every member that lies wholly inside the first {@code available} bytes, by name, in declaration
     * order. Used to show what a user passed even when {@code argsz} was short.
     */
    public Map<String, Long> decode(byte[] bytes, int base, int available) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Field f : fields.values()) {
            if (f.end() <= available && base + f.end() <= bytes.length) {
                out.put(f.name(), f.get(bytes, base));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "struct " + name + " (" + size + " bytes)";
    }

    /** Lays out members one after another with C's natural alignment. */
    public static final class Builder {
        private final String name;
        private final Map<String, Field> fields = new LinkedHashMap<>();
        private int offset;
        private int maxAlign = 1;

        private Builder(String name) {
            this.name = name;
        }

        public Builder u8(String field) {
            return add(field, Kind.U8);
        }

        public Builder u16(String field) {
            return add(field, Kind.U16);
        }

        public Builder u32(String field) {
            return add(field, Kind.U32);
        }

        public Builder s32(String field) {
            return add(field, Kind.S32);
        }

        public Builder u64(String field) {
            return add(field, Kind.U64);
        }

        public Builder ptr(String field) {
            return add(field, Kind.PTR);
        }

        /** Embeds another struct's members under {@code prefix.}. */
        public Builder embed(String prefix, StructLayout inner) {
            int align = 1;
            for (Field f : inner.fields.values()) {
                align = Math.max(align, f.kind().width());
            }
            offset = align(offset, align);
            maxAlign = Math.max(maxAlign, align);
            for (Field f : inner.fields.values()) {
                String member = (prefix + "." + f.name()).intern(); // as literal as its parts
                fields.put(member, new Field(member, offset + f.offset(), f.kind()));
            }
            offset += inner.size;
            return this;
        }

        private Builder add(String field, Kind kind) {
            if (fields.containsKey(field)) {
                throw new IllegalArgumentException("duplicate member " + field + " in " + name);
            }
            offset = align(offset, kind.width());
            maxAlign = Math.max(maxAlign, kind.width());
            fields.put(field, new Field(field, offset, kind));
            offset += kind.width();
            return this;
        }

        public StructLayout build() {
            return new StructLayout(name, align(offset, maxAlign), fields);
        }

        private static int align(int v, int a) {
            return (v + a - 1) / a * a;
        }
    }
}
