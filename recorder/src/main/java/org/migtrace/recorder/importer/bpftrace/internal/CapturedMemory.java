package org.migtrace.recorder.importer.bpftrace.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.migtrace.recorder.internal.TracedMemory;

/**
 * The memory of a traced process as far as the capture script copied it for one call: the argument
 * struct (as it was at entry, or at exit: {@link #phase}), the blocks the call points to, and the
 * captured prefix of the dirty bitmap it returned (zero where the script printed no chunk, since it
 * prints only the non-zero ones). Everything else is unreadable, as a faulting address would be:
 * the decoders then leave those members out. One instance serves call after call ({@link #clear}),
 * so the bitmap's buffer is allocated once.
 */
public final class CapturedMemory implements TracedMemory {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** {@code length} bytes at {@code start}: {@code data[0..length)}. */
    private static final class Segment {
        final long start;
        final byte[] data;
        final int length;

        Segment(long start, byte[] data, int length) {
            this.start = start;
            this.data = data;
            this.length = length;
        }

        Segment(long start, byte[] data) {
            this(start, data, data.length);
        }

        long end() {
            return start + length;
        }

        boolean contains(long addr) {
            return Long.compareUnsigned(addr, start) >= 0 && Long.compareUnsigned(addr, end()) < 0;
        }
    }

    private final List<Segment> segments = new ArrayList<>(4);
    private Segment phase;
    /**
     * The bitmap's bytes, kept from call to call (a bitmap is up to the script's cap, 32 KiB, up to
     * 64 MiB, a call), all zero between calls: {@link #clear()} zeroes what the blocks wrote.
     */
    private byte[] bitmapBuffer = new byte[0];
    /** The bitmap segment (null when none), and the byte ranges of it the blocks wrote: [start, end) pairs. */
    private Segment bitmap;
    private long[] written = new long[64];
    private int writtenN;

    /** Forgets everything: the memory of the next call follows. */
    public void clear() {
        for (int i = 0; i < writtenN; i += 2) { // the bitmap buffer is zero again, but for what blocks wrote
            Arrays.fill(bitmapBuffer, (int) written[i], (int) written[i + 1], (byte) 0);
        }
        segments.clear();
        phase = null;
        bitmap = null;
        writtenN = 0;
    }

    /** The dirty bitmap's captured prefix: {@code bytes} zero bytes at {@code addr}, filled by {@link #block}. */
    public void bitmap(long addr, int bytes) {
        if (bytes > 0) {
            if (bitmapBuffer.length < bytes) {
                bitmapBuffer = new byte[bytes];
            }
            bitmap = new Segment(addr, bitmapBuffer, bytes);
            segments.add(0, bitmap);
        }
    }

    /**
     * A block the script copied at exit: {@code n} little-endian u64 words at {@code addr}, from
     * {@code words[from]} on. Written in place into a segment that holds {@code addr} (the bitmap's
     * chunks; cut at its end), else kept as a segment of its own.
     */
    public void block(long addr, long[] words, int from, int n) {
        for (int k = 0; k < segments.size(); k++) {
            Segment s = segments.get(k);
            if (s.contains(addr)) {
                long at = addr - s.start;
                put(s.data, (int) at, s.length, words, from, n);
                if (s == bitmap) {
                    long to = Math.min(s.length, at + 8L * n);
                    if (writtenN > 0 && written[writtenN - 1] == at) { // the chunk after the last: one range
                        written[writtenN - 1] = to;
                    } else {
                        if (writtenN == written.length) {
                            written = Arrays.copyOf(written, written.length * 2);
                        }
                        written[writtenN++] = at;
                        written[writtenN++] = to;
                    }
                }
                return;
            }
        }
        byte[] b = new byte[n * 8];
        put(b, 0, b.length, words, from, n);
        segments.add(new Segment(addr, b));
    }

    /** The argument struct as the script read it at entry or at exit: it takes precedence over the blocks. */
    public void phase(long addr, long[] words, int n, int maxBytes) {
        byte[] b = bytes(words, n);
        if (maxBytes < b.length) {
            b = Arrays.copyOf(b, maxBytes);
        }
        phase = b.length == 0 ? null : new Segment(addr, b);
    }

    private static byte[] bytes(long[] words, int n) {
        byte[] b = new byte[n * 8];
        put(b, 0, b.length, words, 0, n);
        return b;
    }

    /** {@code words[from..from+n)} as little-endian bytes into {@code dst} at {@code at}, as many as fit below {@code limit}. */
    private static void put(byte[] dst, int at, int limit, long[] words, int from, int n) {
        for (int i = 0; i < n; i++) {
            int o = at + 8 * i;
            long w = words[from + i];
            if (o + 8 <= limit) {
                LE_LONG.set(dst, o, w);
                continue;
            }
            for (int j = 0; o + j < limit; j++) {
                dst[o + j] = (byte) (w >>> (8 * j));
            }
            return;
        }
    }

    private Segment at(long addr) {
        if (phase != null && phase.contains(addr)) {
            return phase;
        }
        for (Segment s : segments) {
            if (s.contains(addr)) {
                return s;
            }
        }
        return null;
    }

    @Override
    public byte[] read(long addr, int len) {
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            long a = addr + done;
            Segment s = at(a);
            if (s == null) {
                return null;
            }
            int from = (int) (a - s.start);
            int n = Math.min(len - done, s.length - from);
            System.arraycopy(s.data, from, out, done, n);
            done += n;
        }
        return out;
    }

    @Override
    public boolean readLongs(long addr, long[] dst, int from, int n) {
        Segment s = at(addr);
        long off = s == null ? -1 : addr - s.start;
        if (s != null && off + 8L * n <= s.length) { // the common case, a bitmap's chunk: no copy
            for (int i = 0; i < n; i++) {
                dst[from + i] = (long) LE_LONG.get(s.data, (int) off + 8 * i);
            }
            return true;
        }
        byte[] b = read(addr, n * 8);
        if (b == null) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            long w = 0;
            for (int j = 7; j >= 0; j--) {
                w = w << 8 | (b[i * 8 + j] & 0xFFL);
            }
            dst[from + i] = w;
        }
        return true;
    }

    /** Within the bitmap, only what the blocks wrote can be non-zero (the script prints non-zero chunks only). */
    @Override
    public long[] possiblyNonZero(long addr, long bytes) {
        if (bitmap == null || addr != bitmap.start || bytes > bitmap.length || (phase != null
                && Long.compareUnsigned(phase.start, addr + bytes) < 0 && Long.compareUnsigned(addr, phase.end()) < 0)) {
            return null;
        }
        long[] r = Arrays.copyOf(written, writtenN);
        boolean sorted = true;
        for (int i = 2; i < writtenN; i += 2) {
            sorted &= r[i] >= r[i - 2];
        }
        if (!sorted) {
            long[][] pairs = new long[writtenN / 2][];
            for (int i = 0; i < pairs.length; i++) {
                pairs[i] = new long[] {r[2 * i], r[2 * i + 1]};
            }
            Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
            for (int i = 0; i < pairs.length; i++) {
                r[2 * i] = pairs[i][0];
                r[2 * i + 1] = pairs[i][1];
            }
        }
        int n = 0; // merge overlapping and touching ranges, clip to bytes
        for (int i = 0; i < writtenN; i += 2) {
            long start = r[i];
            long end = Math.min(r[i + 1], bytes);
            if (start >= end) {
                continue;
            }
            if (n > 0 && start <= r[n - 1]) {
                r[n - 1] = Math.max(r[n - 1], end);
            } else {
                r[n++] = start;
                r[n++] = end;
            }
        }
        return Arrays.copyOf(r, n);
    }

    @Override
    public long readableFrom(long addr) {
        long total = 0;
        while (true) {
            Segment s = at(addr + total);
            if (s == null) {
                return total;
            }
            total += s.end() - (addr + total);
        }
    }
}
