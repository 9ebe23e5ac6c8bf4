package org.migtrace.recorder.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.migtrace.trace.EventColumn;
import org.migtrace.uapi.StructLayout;

/**
 * An ioctl whose argument is one struct that starts with its size ({@code argsz} or {@code size}):
 * at entry the members inside the size the caller gave, at exit (of a successful call) the members
 * the kernel writes back, each optionally copied into a typed column. Extras for the few structs
 * that need them: an array behind a pointer member, the capability chain after the struct, and a
 * dirty bitmap the call fills.
 */
public final class StructIoctl implements IoctlCodec {
    /** Buffers with a capability chain are read up to this many bytes. */
    private static final int MAX_BUFFER = 64 * 1024;
    /** Arrays behind pointers are decoded up to this many elements. */
    private static final int MAX_ELEMENTS = 256;

    private record Col(EventColumn column, String member, boolean out) {
    }

    private record Array(String pointer, String count, StructLayout element, boolean out) {
    }

    private final StructLayout layout;
    private final List<Col> cols = new ArrayList<>();
    private final List<String> outMembers = new ArrayList<>();
    private Array array;
    private CapChains.Family caps;
    private long capsFlag;
    private String[] bitmap;

    private StructIoctl(StructLayout layout) {
        this.layout = layout;
    }

    /** The struct, with its leading size member as the {@code argsz} column. */
    public static StructIoctl of(StructLayout layout) {
        return new StructIoctl(layout).in(EventColumn.ARGSZ, layout.fields().get(0).name());
    }

    /** Copies input member {@code member} into {@code column}. */
    public StructIoctl in(EventColumn column, String member) {
        cols.add(new Col(column, member, false));
        return this;
    }

    /** Members the kernel writes back. */
    public StructIoctl out(String... members) {
        outMembers.addAll(List.of(members));
        return this;
    }

    /** An output member that also fills {@code column} when the call succeeds. */
    public StructIoctl out(EventColumn column, String member) {
        cols.add(new Col(column, member, true));
        if (!outMembers.contains(member)) {
            outMembers.add(member);
        }
        return this;
    }

    /** An array of {@code element} at pointer member {@code pointer} with {@code count} elements, shown as {@code *pointer}. */
    public StructIoctl array(String pointer, String count, StructLayout element, boolean out) {
        this.array = new Array(pointer, count, element, out);
        return this;
    }

    /** A capability chain at {@code cap_offset}, present when {@code flags} has {@code flag}. */
    public StructIoctl caps(CapChains.Family family, long flag) {
        this.caps = family;
        this.capsFlag = flag;
        return this;
    }

    /** The call fills the dirty bitmap these members describe. */
    public StructIoctl bitmap(String iova, String length, String pageSize, String data) {
        this.bitmap = new String[] {iova, length, pageSize, data};
        return this;
    }

    @Override
    public void enter(UserBytes mem, long arg, CallArgs call) {
        byte[] b = mem.sized(arg, caps == null ? layout.size() : MAX_BUFFER);
        if (b == null) {
            return;
        }
        call.available(b.length);
        Map<String, Object> in = StructValues.decode(layout, b, 0, Math.min(b.length, layout.size()));
        call.in().putAll(in);
        for (Col c : cols) {
            if (!c.out()) {
                call.columnFrom(c.column(), in, c.member());
            }
        }
        if (array != null && !array.out()) {
            call.in().put("*" + array.pointer(), elements(mem, in.get(array.pointer()), in.get(array.count())));
        }
        if (bitmap != null) {
            call.bitmapFrom(in.get(bitmap[0]), in.get(bitmap[1]), in.get(bitmap[2]), in.get(bitmap[3]));
        }
    }

    @Override
    public void exit(UserBytes mem, long arg, long ret, CallArgs call) {
        boolean anyOut = !outMembers.isEmpty() || caps != null || (array != null && array.out());
        if (ret < 0 || !anyOut || call.available() == 0) {
            return;
        }
        byte[] b = mem.read(arg, call.available());
        if (b == null) {
            return;
        }
        Map<String, Object> all = StructValues.decode(layout, b, 0, Math.min(b.length, layout.size()));
        Map<String, Object> out = call.out();
        for (String m : outMembers) {
            if (all.containsKey(m)) {
                out.put(m, all.get(m));
            }
        }
        for (Col c : cols) {
            if (c.out()) {
                call.columnFrom(c.column(), all, c.member());
            }
        }
        if (caps != null) {
            Long flags = StructValues.raw(all.get("flags"));
            Long capOffset = StructValues.raw(all.get("cap_offset"));
            if (flags != null && (flags & capsFlag) != 0 && capOffset != null && capOffset != 0) {
                out.put("caps", CapChains.decode(caps, b, capOffset));
            }
        }
        if (array != null && array.out()) {
            Long asked = StructValues.raw(call.inOrNull() == null ? null : call.inOrNull().get(array.count()));
            Long given = StructValues.raw(all.get(array.count()));
            Object n = asked == null || given == null ? null : Math.min(asked, given);
            out.put("*" + array.pointer(), elements(mem, all.get(array.pointer()), n));
        }
    }

    /** The array's elements as far as they can be read; null when the pointer faults. */
    private List<Map<String, Object>> elements(UserBytes mem, Object pointer, Object count) {
        Long p = StructValues.raw(pointer);
        Long n = StructValues.raw(count);
        if (p == null || n == null || n <= 0) {
            return List.of();
        }
        int take = (int) Math.min(n, MAX_ELEMENTS);
        byte[] b = mem.read(p, take * array.element().size());
        if (b == null) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < take; i++) {
            int at = i * array.element().size();
            out.add(new LinkedHashMap<>(StructValues.decode(array.element(), b, at, array.element().size())));
        }
        return out;
    }
}
