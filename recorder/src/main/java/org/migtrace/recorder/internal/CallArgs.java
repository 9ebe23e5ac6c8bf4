package org.migtrace.recorder.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.EventRow;

/**
 * What the decoders found out about one syscall, from its entry to its exit: the typed columns, the
 * {@code args} JSON ({@code {"in":{...},"out":{...}}} by C member name, plus a few keys of the
 * call's own such as the region a device-fd access falls in), the dirty bitmap to read when it
 * returns, and what the exit decoder needs to remember from the entry. One per syscall in flight.
 */
public final class CallArgs {
    private static final EventColumn[] COLUMNS = EventColumn.values();

    /**
     * The typed columns set: {@code set} has their bits (by ordinal), {@code slot} their place in
     * {@code longs} and {@code strings} (plus one; 0 for a column not set), where a column holds a
     * long value or a String. A call sets a few of the many columns: the values are packed.
     */
    private long set;
    private final byte[] slot = new byte[COLUMNS.length];
    private long[] longs = new long[8];
    private String[] strings = new String[8];
    private int used;
    /**
     * The extra keys of {@code args} and their values, in the order first set ({@code extraN} of
     * them; null until the first): a call has none to a few, so arrays searched in turn, not a map.
     */
    private String[] extraKeys;
    private Object[] extraValues;
    private int extraN;
    private Map<String, Object> in;
    private Map<String, Object> out;
    private BitmapRequest bitmap;
    private int available;

    /** Forgets everything set: the next call's arguments follow (one instance serves call after call). */
    public CallArgs clear() {
        for (long m = set; m != 0; m &= m - 1) {
            slot[Long.numberOfTrailingZeros(m)] = 0;
        }
        Arrays.fill(strings, 0, used, null);
        set = 0;
        used = 0;
        if (extraN > 0) {
            Arrays.fill(extraValues, 0, extraN, null);
            extraN = 0;
        }
        in = null;
        out = null;
        bitmap = null;
        available = 0;
        return this;
    }

    /** Sets a typed column (a later value replaces an earlier one). */
    public CallArgs column(EventColumn column, long value) {
        int at = at(column);
        longs[at] = value;
        strings[at] = null;
        return this;
    }

    /** Sets a UTF8 column; null leaves it as it was. */
    public CallArgs column(EventColumn column, String value) {
        if (value != null) {
            int at = at(column); // before the array is read: at() may grow it
            strings[at] = value;
        }
        return this;
    }

    /** The place of {@code column}'s value, given it one if it had none. */
    private int at(EventColumn column) {
        int c = column.ordinal();
        int s = slot[c];
        if (s == 0) {
            if (used == longs.length) {
                longs = Arrays.copyOf(longs, used * 2);
                strings = Arrays.copyOf(strings, used * 2);
            }
            s = ++used;
            slot[c] = (byte) s;
            set |= 1L << c;
        }
        return s - 1;
    }

    /** Sets a typed column from a decoded member value when it is present. */
    public CallArgs columnFrom(EventColumn column, Map<String, Object> members, String name) {
        Long v = members == null ? null : StructValues.raw(members.get(name));
        if (v != null) {
            column(column, v);
        }
        return this;
    }

    /**
     * Sets the dirty bitmap from decoded member values (the range's IOVA and length, the page size,
     * the user bitmap's address) when all four were decoded ({@link BitmapRequest#of}).
     */
    public CallArgs bitmapFrom(Object iova, Object length, Object pageSize, Object addr) {
        Long i = StructValues.raw(iova);
        Long l = StructValues.raw(length);
        Long p = StructValues.raw(pageSize);
        Long a = StructValues.raw(addr);
        if (i != null && l != null && p != null && a != null) {
            bitmap = BitmapRequest.of(i, l, p, a);
        }
        return this;
    }

    /** The decoded input struct (members as the caller passed them). */
    public Map<String, Object> in() {
        if (in == null) {
            in = new LinkedHashMap<>();
        }
        return in;
    }

    /** The decoded output members (as the kernel left them). */
    public Map<String, Object> out() {
        if (out == null) {
            out = new LinkedHashMap<>();
        }
        return out;
    }

    /** The input members if any were decoded, else null. */
    public Map<String, Object> inOrNull() {
        return in;
    }

    /** The output members if any were decoded, else null. */
    public Map<String, Object> outOrNull() {
        return out;
    }

    /** A top-level key of {@code args} beside {@code in} and {@code out}. */
    public CallArgs extra(String key, Object value) {
        int i = extraIndex(key);
        if (i < 0) {
            if (extraKeys == null) {
                extraKeys = new String[4];
                extraValues = new Object[4];
            } else if (extraN == extraKeys.length) {
                extraKeys = Arrays.copyOf(extraKeys, extraN * 2);
                extraValues = Arrays.copyOf(extraValues, extraN * 2);
            }
            i = extraN++;
            extraKeys[i] = key;
        }
        extraValues[i] = value; // a key set again keeps its place, as in a LinkedHashMap
        return this;
    }

    /** The value of a top-level key set with {@link #extra(String, Object)}, or null. */
    public Object extra(String key) {
        int i = extraIndex(key);
        return i < 0 ? null : extraValues[i];
    }

    private int extraIndex(String key) {
        for (int i = 0; i < extraN; i++) {
            if (extraKeys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The dirty bitmap this call returns into user memory when it succeeds, if any. */
    public BitmapRequest bitmap() {
        return bitmap;
    }

    public void bitmap(BitmapRequest request) {
        this.bitmap = request;
    }

    /** How many bytes of the argument struct the entry decoder read (what the exit decoder re-reads). */
    public int available() {
        return available;
    }

    public void available(int bytes) {
        this.available = bytes;
    }

    /** Sets every typed column on {@code row}. */
    public void applyTo(EventRow row) {
        for (long m = set; m != 0; m &= m - 1) {
            int i = Long.numberOfTrailingZeros(m);
            int at = slot[i] - 1;
            if (strings[at] != null) {
                row.set(COLUMNS[i], strings[at]);
            } else {
                row.set(COLUMNS[i], longs[at]);
            }
        }
    }

    /** The {@code args} JSON ({@code in}, {@code out}, then the extra keys), or null when nothing was decoded. */
    public String json() {
        return Json.write(in, out, extraKeys, extraValues, extraN);
    }
}
