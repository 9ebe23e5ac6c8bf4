package org.migtrace.recorder.importer.bpftrace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.migtrace.recorder.internal.SyscallDecoder;
import org.migtrace.sim.Sys;

/**
 * The text of one of the capture script's printf lines, parsed without building a tree: a flat
 * JSON object whose values are numbers and strings ({@code migtrace-vfio.bt} writes nothing else).
 * Three shapes: a marker ({@code {"migtrace":"start"|"end"|"tick",...}}), a memory block
 * ({@code {"mem":ADDR,"tid":T,"w":"hex,..."}}), and a syscall line. A line of any other shape
 * (a nested object, a key the script does not write: a USDT event, or another script's JSON) is
 * left to a general JSON parser: {@link #parse} returns false.
 *
 * <p>{@link #parseEscaped} reads the same lines as they stand in bpftrace's envelope, still escaped
 * as a JSON string ({@code \"ts_ns\":1,...}), so the common line is read in one pass, without
 * unescaping it first: it takes only lines whose one escape is the quote (and blanks around the
 * object), and gives up on anything else, for {@link #parse} of the unescaped text to judge. Both
 * give the same fields for every line the escaped path takes.
 *
 * <p>Reused from line to line. Strings the script prints raw ({@code thread}, the last key, and
 * {@code object}) are taken as they are, so a thread name with a quote in it does not break the
 * line.
 */
public final class Payload {
    /** What a parsed line is. */
    public enum Shape { MARKER, MEM, CALL }

    private static final String[] KEYS = {"migtrace", "script", "bitmap_cap", "ts_ns", "t1", "pid", "tid", "op", "fd",
        "k", "cmd", "arg", "count", "offset", "ret", "in", "out", "bitmap", "bitmap_bytes", "bitmap_captured",
        "object", "thread", "mem", "w"};
    private static final int MIGTRACE = 0;
    private static final int SCRIPT = 1;
    private static final int BITMAP_CAP = 2;
    private static final int TS_NS = 3;
    private static final int T1 = 4;
    private static final int PID = 5;
    private static final int TID = 6;
    private static final int OP = 7;
    private static final int FD = 8;
    private static final int K = 9;
    private static final int CMD = 10;
    private static final int ARG = 11;
    private static final int COUNT = 12;
    private static final int OFFSET = 13;
    private static final int RET = 14;
    private static final int IN = 15;
    private static final int OUT = 16;
    private static final int BITMAP = 17;
    private static final int BITMAP_BYTES = 18;
    private static final int BITMAP_CAPTURED = 19;
    private static final int OBJECT = 20;
    private static final int THREAD = 21;
    private static final int MEM = 22;
    private static final int W = 23;
    /** The syscalls the script prints a line for, and their {@code op} as it prints it. */
    private static final Sys[] CALLS = {Sys.IOCTL, Sys.OPENAT, Sys.CLOSE, Sys.READ, Sys.WRITE, Sys.PREAD64, Sys.PWRITE64};
    private static final String[] OPS = java.util.Arrays.stream(CALLS).map(SyscallDecoder::name).toArray(String[]::new);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int TABLE = 64;
    private static final String U64_MAX = Long.toUnsignedString(-1L);
    private static final int[] KEY_SLOTS = new int[TABLE];
    private static final byte[][] KEY_BYTES = Arrays.stream(KEYS).map(k -> k.getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);
    /**
     * Each key as the script prints it, with its quotes and colon, by form and place: [0] raw after a
     * value ({@code ,"key":}), [1] raw first ({@code "key":}), [2] and [3] the same escaped
     * ({@code ,\"key\":}). Each is {@code {length, w1, w2, ...}}: from 8 bytes on, its 8-byte words
     * (little-endian, the last one the literal's last 8 bytes, overlapping the one before); shorter,
     * a mask of its bytes and their word.
     */
    private static final long[][][] LITERALS = new long[4][KEYS.length][];

    static {
        for (int form = 0; form < 4; form++) {
            String q = form >= 2 ? "\\\"" : "\"";
            for (int k = 0; k < KEYS.length; k++) {
                byte[] b = (((form & 1) == 0 ? "," : "") + q + KEYS[k] + q + ":").getBytes(StandardCharsets.US_ASCII);
                int n = b.length;
                byte[] padded = Arrays.copyOf(b, Math.max(n, 8));
                long[] lit;
                if (n < 8) {
                    long mask = (1L << (8 * n)) - 1;
                    lit = new long[] {n, mask, (long) LONGS.get(padded, 0) & mask};
                } else {
                    int words = (n + 7) / 8;
                    lit = new long[2 + words];
                    lit[0] = n;
                    for (int w = 0; w < words - 1; w++) {
                        lit[2 + w] = (long) LONGS.get(b, 8 * w);
                    }
                    lit[1 + words] = (long) LONGS.get(b, n - 8);
                }
                LITERALS[form][k] = lit;
            }
        }
    }

    /** In a {@code "hex,hex"} value: a byte's hex digit, {@link #COMMA}, {@link #CLOSE} (a quote or backslash), or -1. */
    private static final byte[] WORD_BYTES = new byte[256];
    private static final byte COMMA = 16;
    private static final byte CLOSE = 17;

    static {
        Arrays.fill(WORD_BYTES, (byte) -1);
        for (int d = 0; d < 16; d++) {
            WORD_BYTES[Character.forDigit(d, 16)] = (byte) d;
            WORD_BYTES[Character.toUpperCase(Character.forDigit(d, 16))] = (byte) d;
        }
        WORD_BYTES[','] = COMMA;
        WORD_BYTES['"'] = CLOSE;
        WORD_BYTES['\\'] = CLOSE;
        Arrays.fill(KEY_SLOTS, -1);
        for (int i = 0; i < KEYS.length; i++) {
            int slot = KEYS[i].hashCode() & (TABLE - 1);
            while (KEY_SLOTS[slot] >= 0) {
                slot = (slot + 1) & (TABLE - 1);
            }
            KEY_SLOTS[slot] = i;
        }
    }

    Shape shape;
    String marker;
    long tsNs;
    long t1;
    int pid;
    int tid;
    String op;
    /** The syscall {@code op} names; null when it names none the script prints. */
    Sys sys;
    int fd;
    int k;
    long cmd;
    long arg;
    long count;
    long offset;
    long ret;
    long script;
    long bitmapCap;
    final long[] in = new long[8];
    int inN;
    final long[] out = new long[8];
    int outN;
    long bitmap;
    long bitmapBytes;
    long bitmapCaptured;
    String object;
    String thread;
    long mem;
    final long[] w = new long[8];
    int wN;

    /** The index in {@link #OPS} of the last op read. */
    private int lastOp;
    /** The thread name of the last escaped line, and its bytes; null before the first. */
    private String lastThread;
    private byte[] lastThreadBytes;
    private final String[] stringCache = new String[256];
    private final byte[][] stringCacheBytes = new byte[256][];
    private byte[] c;
    /** The last number had more than 64 bits: no line of the script has one. */
    private boolean tooLong;
    private int pos;
    private int end;
    /** Reading the escaped form: a quote is {@code \"}, and any other backslash gives up. */
    private boolean esc;
    /** The key that followed each key last time (the script prints its keys in one order), or -1: tried first, as its whole {@link #LITERALS literal}. */
    private final int[] nextKey = new int[KEYS.length + 1];

    public Payload() {
        Arrays.fill(nextKey, -1);
    }

    /** Parses the UTF-8 text {@code bytes[0..length)}; false when it is not one of the script's flat lines. */
    public boolean parse(byte[] bytes, int length) {
        return object(bytes, 0, length, false) >= 0;
    }

    /**
     * Parses one of the script's lines from its escaped form in {@code bytes[from..)}: the inside of
     * a JSON string, ending before {@code to} at the latest. Returns the index of the string's
     * closing quote (after the object and any blanks), or -1 when the text is not such a line in the
     * form this path takes ({@link #parse} of the unescaped text then judges it).
     */
    public int parseEscaped(byte[] bytes, int from, int to) {
        int after = object(bytes, from, to, true);
        if (after < 0) {
            return -1;
        }
        pos = after;
        skipBlanks();
        return pos < end && c[pos] == '"' ? pos : -1;
    }

    private int object(byte[] bytes, int from, int to, boolean escaped) {
        this.c = bytes;
        this.pos = from;
        this.end = to;
        this.esc = escaped;
        this.tooLong = false;
        clear();
        skipBlanks();
        if (pos >= end || c[pos] != '{') {
            return -1;
        }
        pos++;
        boolean sawKey = false;
        int last = KEYS.length;
        long[][] literals = LITERALS[(escaped ? 2 : 0) + 1];
        while (true) {
            int key = nextKey[last];
            if (key < 0 || !literal(literals[key])) { // not the key that followed last time, as the script prints it
                skipBlanks();
                if (pos < end && c[pos] == '}') {
                    break;
                }
                if (sawKey) {
                    if (pos >= end || c[pos] != ',') {
                        return -1;
                    }
                    pos++;
                    skipBlanks();
                }
                key = key(key);
                if (key < 0) {
                    return -1;
                }
                skipBlanks();
                if (pos >= end || c[pos] != ':') {
                    return -1;
                }
                pos++;
            }
            literals = LITERALS[escaped ? 2 : 0];
            skipBlanks();
            if (!value(key)) {
                return -1;
            }
            sawKey = true;
            nextKey[last] = key;
            last = key;
        }
        int close = ++pos;
        if (marker != null) {
            shape = Shape.MARKER;
        } else if (mem != 0 || (wN > 0 && op == null)) {
            shape = Shape.MEM;
        } else if (op != null) {
            shape = Shape.CALL;
        } else {
            return -1;
        }
        return close;
    }

    /** Every field of the line read last (to compare two readings of it). */
    @Override
    public String toString() {
        return shape + " marker=" + marker + " ts=" + tsNs + " t1=" + t1 + " pid=" + pid + " tid=" + tid + " op=" + op + " sys=" + sys
                + " fd=" + fd + " k=" + k + " cmd=" + cmd + " arg=" + arg + " count=" + count + " offset=" + offset + " ret=" + ret
                + " script=" + script + " cap=" + bitmapCap + " in=" + Arrays.toString(Arrays.copyOf(in, inN)) + " out="
                + Arrays.toString(Arrays.copyOf(out, outN)) + " bitmap=" + bitmap + " bytes=" + bitmapBytes + " captured="
                + bitmapCaptured + " object=" + object + " thread=" + thread + " mem=" + mem + " w="
                + Arrays.toString(Arrays.copyOf(w, wN));
    }

    private void clear() {
        shape = null;
        marker = null;
        tsNs = t1 = cmd = arg = count = offset = ret = script = bitmapCap = bitmap = bitmapBytes = bitmapCaptured = mem = 0;
        pid = tid = fd = k = 0;
        op = object = thread = null;
        sys = null;
        inN = outN = wN = 0;
    }

    /**
     * Whether {@code c} holds the literal {@code lit} ({@link #LITERALS}) at {@code pos}, then
     * skipped: compared 8 bytes at a time, the last 8 overlapping the ones before, or one masked
     * load for a literal shorter than 8 bytes.
     */
    private boolean literal(long[] lit) {
        int n = (int) lit[0];
        int words = lit.length - 2;
        if (pos + Math.max(n, 8) > end) {
            return false;
        }
        if (n < 8) {
            if (((long) LONGS.get(c, pos) & lit[1]) != lit[2]) {
                return false;
            }
        } else {
            for (int i = 0; i < words - 1; i++) {
                if ((long) LONGS.get(c, pos + 8 * i) != lit[2 + i]) {
                    return false;
                }
            }
            if ((long) LONGS.get(c, pos + n - 8) != lit[1 + words]) {
                return false;
            }
        }
        pos += n;
        return true;
    }

    /** The length of the quote at {@code at} ({@code "}, or {@code \"} escaped), or 0 when there is none. */
    private int quote(int at) {
        if (!esc) {
            return at < end && c[at] == '"' ? 1 : 0;
        }
        return at + 1 < end && c[at] == '\\' && c[at + 1] == '"' ? 2 : 0;
    }

    /** The index of the quoted key at pos, or -1 when it is not one of ours; {@code expected} is tried first. */
    private int key(int expected) {
        int q = quote(pos);
        if (q == 0) {
            return -1;
        }
        int start = pos + q;
        if (expected >= 0) {
            byte[] k = KEY_BYTES[expected];
            int close = start + k.length;
            int cq = quote(close);
            if (cq > 0 && equals(k, start)) {
                pos = close + cq;
                return expected;
            }
        }
        pos = start;
        int h = 0;
        while (pos < end && c[pos] != '"' && c[pos] != '\\') {
            h = 31 * h + c[pos++];
        }
        int cq = quote(pos);
        if (cq == 0) {
            return -1;
        }
        int len = pos - start;
        pos += cq;
        int slot = h & (TABLE - 1);
        while (KEY_SLOTS[slot] >= 0) {
            String k = KEYS[KEY_SLOTS[slot]];
            if (k.length() == len && matches(k, start)) {
                return KEY_SLOTS[slot];
            }
            slot = (slot + 1) & (TABLE - 1);
        }
        return -1;
    }

    /** Whether {@code c} holds {@code k} at {@code at} (a short key: a loop beats a vectorized compare). */
    private boolean equals(byte[] k, int at) {
        for (int i = 0; i < k.length; i++) {
            if (c[at + i] != k[i]) {
                return false;
            }
        }
        return true;
    }

    private boolean matches(String s, int at) {
        for (int i = 0; i < s.length(); i++) {
            if (c[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean value(int key) {
        switch (key) {
            case MIGTRACE:
                marker = string();
                return marker != null;
            case OP:
                op = op();
                return op != null;
            case OBJECT:
                object = string();
                return object != null;
            case THREAD:
                thread = threadName();
                return thread != null;
            case IN:
                inN = words(in);
                return inN >= 0;
            case OUT:
                outN = words(out);
                return outN >= 0;
            case W:
                wN = words(w);
                return wN >= 0;
            default:
                break;
        }
        if (pos >= end || !(c[pos] == '-' || (c[pos] >= '0' && c[pos] <= '9'))) {
            return false;
        }
        long v = number();
        if (tooLong) {
            return false; // no bpftrace integer is wider than 64 bits: not one of the script's lines
        }
        switch (key) {
            case SCRIPT -> script = v;
            case BITMAP_CAP -> bitmapCap = v;
            case TS_NS -> tsNs = v;
            case T1 -> t1 = v;
            case PID -> pid = (int) v;
            case TID -> tid = (int) v;
            case FD -> fd = (int) v;
            case K -> k = (int) v;
            case CMD -> cmd = v;
            case ARG -> arg = v;
            case COUNT -> count = v;
            case OFFSET -> offset = v;
            case RET -> ret = v;
            case BITMAP -> bitmap = v;
            case BITMAP_BYTES -> bitmapBytes = v;
            case BITMAP_CAPTURED -> bitmapCaptured = v;
            case MEM -> mem = v;
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * A decimal integer, signed; unsigned values past 2^63 wrap to their bit pattern. More than 64
     * bits' worth ({@code 2^64} and up) sets {@link #tooLong}, never a silently wrapped value.
     */
    private long number() {
        boolean neg = c[pos] == '-';
        if (neg) {
            pos++;
        }
        int first = pos;
        long v = 0;
        if (pos + 8 <= end) { // up to 16 digits 8 bytes at a time; unsigned wrap-around as digit by digit
            long x = (long) LONGS.get(c, pos);
            int n = leadingDecimalDigits(x);
            v = decimal(x, n);
            pos += n;
            if (n == 8 && pos + 8 <= end) {
                x = (long) LONGS.get(c, pos);
                n = leadingDecimalDigits(x);
                v = v * POWERS_OF_TEN[n] + decimal(x, n);
                pos += n;
            }
        }
        while (pos < end && c[pos] >= '0' && c[pos] <= '9') {
            v = v * 10 + (c[pos++] - '0');
        }
        int digits = pos - first;
        if (digits > U64_MAX.length() || digits == U64_MAX.length() && new String(c, first, digits, StandardCharsets.US_ASCII).compareTo(U64_MAX) > 0) {
            tooLong = true;
        }
        return neg ? -v : v;
    }

    private String string() {
        int q = quote(pos);
        if (q == 0) {
            return null;
        }
        int start = pos + q;
        int close = start;
        while (close < end && c[close] != '"' && !(esc && stops(c[close]))) {
            close++;
        }
        int cq = quote(close);
        if (cq == 0) {
            return null;
        }
        pos = close + cq;
        return cached(start, close);
    }

    /**
     * Whether the escaped path gives up on a byte of a string: a backslash (another escape than the
     * closing quote's), or one that only a full JSON reading may judge (a control byte, not ASCII).
     */
    private static boolean stops(byte b) {
        return b == '\\' || b < 0x20;
    }

    private String op() {
        int q = quote(pos);
        if (q == 0) {
            return null;
        }
        int start = pos + q;
        sys = null; // the last op key counts
        for (int k = 0; k < OPS.length; k++) {
            int i = k == 0 ? lastOp : k == lastOp ? 0 : k; // the last line's op first: calls come in runs
            String o = OPS[i];
            int close = start + o.length();
            int cq = quote(close);
            if (cq > 0 && matches(o, start)) {
                pos = close + cq;
                sys = CALLS[i];
                lastOp = i;
                return o;
            }
        }
        return string();
    }

    /**
     * The thread name: everything up to the object's last quote (a comm may hold any byte). The
     * escaped path, which does not know where the text ends, takes a name with no backslash and no
     * byte a full JSON reading must judge, ending at the first quote followed by the object's end.
     */
    private String threadName() {
        int q = quote(pos);
        if (q == 0) {
            return null;
        }
        int start = pos + q;
        if (esc) {
            byte[] last = lastThreadBytes;
            int after = start + (last == null ? 0 : last.length);
            if (last != null && after + 2 < end && c[after] == '\\' && c[after + 1] == '"' && c[after + 2] == '}'
                    && Arrays.equals(c, start, after, last, 0, last.length)) {
                pos = after + 2; // the last line's thread again (its bytes hold nothing the scan below stops at)
                return lastThread;
            }
            for (int i = start; i < end; i++) {
                if (stops(c[i])) {
                    if (quote(i) == 0 || i + 2 >= end || c[i + 2] != '}') {
                        return null;
                    }
                    pos = i + 2;
                    int slot = cachedSlot(start, i);
                    lastThread = stringCache[slot];
                    lastThreadBytes = stringCacheBytes[slot]; // never written to: a new text replaces the array
                    return lastThread;
                }
            }
            return null;
        }
        int close = end - 1;
        while (close > start && c[close] != '"') {
            close--;
        }
        if (close < start) {
            return null;
        }
        pos = close + 1;
        return cached(start, close);
    }

    /**
     * {@code c[start..end)} as a String, the same instance as last time for the same text: thread
     * names and paths repeat on every line, and a repeated instance is cheap to look up downstream.
     */
    private String cached(int start, int end) {
        return stringCache[cachedSlot(start, end)];
    }

    /** The slot of {@link #cached}'s table that holds {@code c[start..end)}, filled first if it did not. */
    private int cachedSlot(int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + c[i];
        }
        int slot = h & (stringCache.length - 1);
        byte[] bytes = stringCacheBytes[slot];
        if (bytes == null || !Arrays.equals(bytes, 0, bytes.length, c, start, end)) {
            stringCacheBytes[slot] = Arrays.copyOfRange(c, start, end);
            stringCache[slot] = new String(c, start, end - start, StandardCharsets.UTF_8);
        }
        return slot;
    }

    /** {@code "hex,hex,..."} into {@code dst}; how many words (at most its length); -1 for a word past 64 bits. */
    private int words(long[] dst) {
        int q = quote(pos);
        if (q == 0) {
            return -1;
        }
        pos += q;
        int n = 0;
        long v = 0;
        int from = pos; // where the word being read starts
        while (pos < end) {
            if (pos == from && pos + 16 < end) { // a word of up to 16 digits, read 8 bytes at a time
                long hi = (long) LONGS.get(c, pos);
                long lo = (long) LONGS.get(c, pos + 8);
                int digits = leadingHexDigits(hi);
                if (digits == 8) {
                    digits += leadingHexDigits(lo);
                }
                if (digits > 0 && WORD_BYTES[c[pos + digits] & 0xFF] >= COMMA) {
                    long all = (long) nibbles(hi) << 32 | Integer.toUnsignedLong(nibbles(lo));
                    v = all >>> (64 - 4 * digits); // the bytes after the word only filled the low nibbles
                    pos += digits;
                }
            }
            int d = WORD_BYTES[c[pos] & 0xFF];
            if (d < COMMA) {
                if (d < 0) {
                    return -1;
                }
                v = v << 4 | d;
                pos++;
                continue;
            }
            if (d == CLOSE) {
                break;
            }
            if (pos - from > 16) { // more than 64 bits: not a word the script prints
                return -1;
            }
            if (n < dst.length) {
                dst[n] = v;
            }
            n++;
            v = 0;
            from = ++pos;
        }
        if (pos - from > 16) {
            return -1;
        }
        boolean any = pos > from;
        int cq = quote(pos);
        if (cq == 0) {
            return -1;
        }
        pos += cq;
        if (any || n > 0) {
            if (n < dst.length) {
                dst[n] = v;
            }
            n++;
        }
        return Math.min(n, dst.length);
    }

    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** How many of the bytes of {@code x}, from its first, are hex digits ({@code 0-9}, {@code a-f}, {@code A-F}) before another byte. */
    static int leadingHexDigits(long x) {
        long ascii = x & ~HIGHS; // a byte past ASCII is not a digit (the & ~x below), and cannot carry into the next
        long digit = (inRange(ascii, 0x30, 0x39) | inRange(ascii | 0x2020202020202020L, 0x61, 0x66)) & ~x;
        return Long.numberOfTrailingZeros(~digit & HIGHS) >>> 3;
    }

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** How many of the bytes of {@code x}, from its first, are decimal digits before another byte. */
    static int leadingDecimalDigits(long x) {
        long digit = inRange(x & ~HIGHS, 0x30, 0x39) & ~x;
        return Long.numberOfTrailingZeros(~digit & HIGHS) >>> 3;
    }

    /**
     * The value of the first {@code n} (0 to 8) bytes of {@code x}, decimal digits, the first the most
     * significant: the digits moved to the top bytes (the zeros below them are leading zeros), then
     * pairs, fours and eights of digits combined by one multiply each.
     */
    static long decimal(long x, int n) {
        if (n == 0) {
            return 0;
        }
        long d = (x & 0x0F0F0F0F0F0F0F0FL) << (8 * (8 - n));
        d = (d * 10 + (d >>> 8)) & 0x00FF00FF00FF00FFL;
        d = (d * 100 + (d >>> 16)) & 0x0000FFFF0000FFFFL;
        return (d * 10_000 + (d >>> 32)) & 0xFFFFFFFFL;
    }

    /** The high bit of each byte of {@code x} (all below 0x80) set when the byte is in {@code [lo, hi]}. */
    private static long inRange(long x, int lo, int hi) {
        return (x + ONES * (0x80 - lo)) & ~(x + ONES * (0x7F - hi)) & HIGHS;
    }

    /**
     * The value of 8 hex digits, the first byte of {@code x} the most significant; a byte that is not a
     * digit gives some value in its own nibble only.
     */
    static int nibbles(long x) {
        long n = (x & 0x0F0F0F0F0F0F0F0FL) + ((x >>> 6) & ONES) * 9; // 0-9 from digits, 10-15 from letters
        n = (n & 0x000F000F000F000FL) << 4 | (n >>> 8) & 0x000F000F000F000FL;
        n = (n & 0x000000FF000000FFL) << 8 | (n >>> 16) & 0x000000FF000000FFL;
        return (int) ((n & 0xFFFF) << 16 | (n >>> 32) & 0xFFFF);
    }

    /** Skips blanks: raw ones in the text, or (escaped) spaces and the escapes of newline, tab and return. */
    private void skipBlanks() {
        if (pos < end) { // the common case first: the next token, a quote (escaped or not) or a digit
            byte b = c[pos];
            if (b > ' ' && b != '\\' || esc && b == '\\' && pos + 1 < end && c[pos + 1] == '"') {
                return;
            }
        }
        if (esc) {
            while (pos < end) {
                if (c[pos] == ' ') {
                    pos++;
                } else if (c[pos] == '\\' && pos + 1 < end && (c[pos + 1] == 'n' || c[pos + 1] == 't' || c[pos + 1] == 'r')) {
                    pos += 2;
                } else {
                    return;
                }
            }
            return;
        }
        while (pos < end && (c[pos] == ' ' || c[pos] == '\n' || c[pos] == '\t' || c[pos] == '\r')) {
            pos++;
        }
    }

}
