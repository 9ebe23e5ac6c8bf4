package org.migtrace.sim.internal.vendor;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.internal.kernel.KernelCtx;

/**
 * The bytes a save file hands out, as runs: small materialized ones (record headers, driver
 * structs) and virtual all-zero payload runs of any length. Device payload content is not
 * modelled, so a many-GiB image costs a few objects; reads write real bytes for the materialized
 * runs and zero-fill the user buffer for payload (which touches only pages that already exist in a
 * lazily backed mapping, see {@link org.migtrace.sim.mem.UserMemory#zero}).
 */
final class SaveStream {
    /** One run at stream offset {@code start}: {@code bytes}, or {@code length} zeros when bytes is null. */
    private record Run(long start, long length, byte[] bytes) {
    }

    private final TreeMap<Long, Run> runs = new TreeMap<>();
    private long end;

    /** Stream offset one past the last byte (the driver's {@code max_pos} / {@code filled_size}). */
    long end() {
        return end;
    }

    /** Appends materialized bytes. */
    void append(byte[] bytes) {
        if (bytes.length > 0) {
            runs.put(end, new Run(end, bytes.length, bytes.clone()));
            end += bytes.length;
        }
    }

    /** Appends {@code n} bytes of payload (zeros). */
    void appendPayload(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative payload " + n);
        }
        if (n > 0) {
            runs.put(end, new Run(end, n, null));
            end += n;
        }
    }

    /** Replaces bytes at {@code offset} inside one materialized run (mtty and hisi fill their struct in place). */
    void patch(long offset, byte[] bytes) {
        Map.Entry<Long, Run> e = runs.floorEntry(offset);
        if (e == null || e.getValue().bytes == null || offset + bytes.length > e.getKey() + e.getValue().length) {
            throw new IllegalStateException("patch outside a materialized run at " + offset);
        }
        System.arraycopy(bytes, 0, e.getValue().bytes, (int) (offset - e.getKey()), bytes.length);
    }

    /** Forgets everything (a disabled file hands out nothing). */
    void clear() {
        runs.clear();
        end = 0;
    }

    /**
     * Copies stream bytes {@code [pos, pos + n)} to user memory at {@code buf}. The caller has
     * checked that the user range is mapped; returns false on a fault all the same.
     */
    boolean copyOut(KernelCtx ctx, long pos, long buf, long n) {
        if (pos < 0 || n < 0 || pos + n > end) {
            throw new IllegalArgumentException("read [" + pos + ", +" + n + ") of a " + end + "-byte stream");
        }
        long done = 0;
        while (done < n) {
            Run r = runs.floorEntry(pos + done).getValue();
            long inRun = pos + done - r.start;
            long len = Math.min(r.length - inRun, n - done);
            boolean ok = r.bytes == null
                    ? ctx.mem().zero(buf + done, len)
                    : ctx.copyToUser(buf + done, Arrays.copyOfRange(r.bytes, (int) inRun, (int) (inRun + len)), (int) len);
            if (!ok) {
                return false;
            }
            done += len;
        }
        return true;
    }
}
