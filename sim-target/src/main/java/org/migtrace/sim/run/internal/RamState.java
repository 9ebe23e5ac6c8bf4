package org.migtrace.sim.run.internal;

import org.migtrace.sim.guest.Guest;
import org.migtrace.sim.guest.GuestMemory;
import org.migtrace.sim.mem.Bitmap;

/**
 * The RAM side of the source's migration ({@code migration/ram.c}): the migration bitmap (one bit
 * per guest page of the RAM block, {@code rb->bmap}), its count of dirty pages
 * ({@code migration_dirty_pages}), and the cursor {@code ram_find_and_save_block} sends from.
 * Sending a page clears its bit here and in the RAM's write log: the page on the destination now
 * equals the source's until the guest or a device writes it again.
 */
final class RamState {
    private final Bitmap bitmap;
    private final Bitmap writeLog;
    private long dirty;
    private long cursor;

    RamState(Guest guest) {
        this.bitmap = new Bitmap(guest.memory().ramPages());
        this.writeLog = guest.memory().writeLog();
    }

    /** {@code ram_list_init_bitmaps}: the bulk stage, every page dirty. */
    void setAll() {
        bitmap.setAll();
        dirty = bitmap.size();
        cursor = 0;
    }

    Bitmap bitmap() {
        return bitmap;
    }

    long pages() {
        return bitmap.size();
    }

    /** {@code ram_bytes_remaining}. */
    long remainingBytes() {
        return dirty << GuestMemory.PAGE_SHIFT;
    }

    /** Adds pages a sync newly set in the bitmap. */
    void addDirty(long newlySet) {
        dirty += newlySet;
    }

    /**
     * Sends up to {@code maxPages} dirty pages from the cursor on, wrapping at the end of the block
     * as {@code ram_find_and_save_block} does.
     *
     * @return pages sent (0 when nothing is dirty)
     */
    long send(long maxPages) {
        long sent = 0;
        long size = bitmap.size();
        boolean wrapped = false;
        while (sent < maxPages && dirty > 0) {
            long first = bitmap.nextSetBit(cursor);
            if (first < 0) {
                if (wrapped) {
                    break;
                }
                wrapped = true;
                cursor = 0;
                continue;
            }
            long n = runLength(first, maxPages - sent);
            bitmap.clearRange(first, n);
            writeLog.clearRange(first, n);
            dirty -= n;
            sent += n;
            cursor = first + n == size ? 0 : first + n;
        }
        return sent;
    }

    /**
     * How many set bits follow {@code first} (itself set), at most {@code limit}: a scan bounded by
     * what will be sent, so that a full bitmap does not cost a walk to its end on every call.
     */
    private long runLength(long first, long limit) {
        long[] w = bitmap.words();
        long end = Math.min(bitmap.size(), first + limit);
        long bit = first;
        while (bit < end) {
            int i = (int) (bit >>> 6);
            long clear = ~w[i] & (-1L << bit);
            if (clear != 0) {
                return Math.min(end, ((long) i << 6) + Long.numberOfTrailingZeros(clear)) - first;
            }
            bit = (long) (i + 1) << 6;
        }
        return end - first;
    }

    /**
     * Pages the write log has and the migration bitmap does not: written since their last copy yet
     * not (or no longer) marked dirty. Right after a sync harvested every log this must be 0; any
     * page counted is a write no dirty report caught.
     */
    long uncaughtWrites() {
        long[] wl = writeLog.words();
        long[] bm = bitmap.words();
        long n = 0;
        for (int i = 0; i < wl.length; i++) {
            n += Long.bitCount(wl[i] & ~bm[i]);
        }
        return n;
    }

    /** Pages of the write log still set: written after their last copy. */
    long unsentWrites() {
        return writeLog.cardinality();
    }
}
