package org.migtrace.trace.internal;

import java.nio.charset.StandardCharsets;
import org.migtrace.trace.DirtyRunColumn;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.IterationColumn;
import org.migtrace.trace.IterationRow;

/** Fills one row of the {@code dirty_runs} or {@code iterations} batch (checked by the caller). */
public final class RowWriters {

    private static final byte[][] SOURCE_LABELS = sourceLabels();

    private RowWriters() {
    }

    private static byte[][] sourceLabels() {
        DirtySource[] all = DirtySource.values();
        byte[][] out = new byte[all.length][];
        for (DirtySource s : all) {
            out[s.ordinal()] = s.label().getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    /**
     * Rows {@code [from, from + n)} of a block (row i a run when {@code bits[i]} is 0, else a word),
     * as many as the batch has room for; returns how many were filled.
     */
    public static int dirtyRows(TableFileWriter t, long eventSeq, DirtySource source, long pageSize, long[] firstPage,
                                long[] pageCount, long[] bits, int from, int n) {
        int r = t.row();
        int k = Math.min(n, t.roomInBatch());
        java.util.Arrays.fill(t.stagedInt64(DirtyRunColumn.EVENT_SEQ.ordinal()), r, r + k, eventSeq);
        java.util.Arrays.fill(t.stagedCode(DirtyRunColumn.SOURCE.ordinal(), SOURCE_LABELS), r, r + k, (byte) source.ordinal());
        java.util.Arrays.fill(t.stagedInt64(DirtyRunColumn.PAGE_SIZE.ordinal()), r, r + k, pageSize);
        System.arraycopy(firstPage, from, t.stagedInt64(DirtyRunColumn.FIRST_PAGE.ordinal()), r, k);
        System.arraycopy(pageCount, from, t.stagedInt64(DirtyRunColumn.PAGE_COUNT.ordinal()), r, k);
        System.arraycopy(bits, from, t.stagedInt64ZeroIsNull(DirtyRunColumn.BITS.ordinal()), r, k);
        return k;
    }

    /** One row: a run ({@code bits} 0: {@code pageCount} pages from {@code firstPage}) or a word ({@code pageCount} its set bits). */
    public static void dirtyRow(TableFileWriter t, long eventSeq, DirtySource source, long pageSize, long firstPage,
                                long pageCount, long bits) {
        int r = t.row();
        t.stagedInt64(DirtyRunColumn.EVENT_SEQ.ordinal())[r] = eventSeq;
        t.stagedCode(DirtyRunColumn.SOURCE.ordinal(), SOURCE_LABELS)[r] = (byte) source.ordinal();
        t.stagedInt64(DirtyRunColumn.PAGE_SIZE.ordinal())[r] = pageSize;
        t.stagedInt64(DirtyRunColumn.FIRST_PAGE.ordinal())[r] = firstPage;
        t.stagedInt64(DirtyRunColumn.PAGE_COUNT.ordinal())[r] = pageCount;
        t.stagedInt64ZeroIsNull(DirtyRunColumn.BITS.ordinal())[r] = bits;
    }

    public static void iteration(TableFileWriter t, IterationRow row) {
        int r = t.row();
        int64(t, r, IterationColumn.SEQ, row.seq());
        int64(t, r, IterationColumn.TS_NS, row.tsNs());
        if (row.host() != null) {
            byte[] host = row.host().getBytes(StandardCharsets.UTF_8);
            t.utf8(IterationColumn.HOST.ordinal()).setSafe(r, host, 0, host.length);
        }
        t.int32(IterationColumn.ITERATION.ordinal()).set(r, row.iteration());
        int64(t, r, IterationColumn.TIME_NS, row.timeNs());
        int64(t, r, IterationColumn.DURATION_NS, row.durationNs());
        int64(t, r, IterationColumn.DIRTY_PAGES_CPU, row.dirtyPagesCpu());
        int64(t, r, IterationColumn.DIRTY_PAGES_DEVICE, row.dirtyPagesDevice());
        int64(t, r, IterationColumn.NEW_DIRTY_PAGES, row.newDirtyPages());
        int64(t, r, IterationColumn.BYTES_SENT, row.bytesSent());
        int64(t, r, IterationColumn.DEVICE_BYTES_SENT, row.deviceBytesSent());
        int64(t, r, IterationColumn.BANDWIDTH, row.bandwidth());
        int64(t, r, IterationColumn.PENDING_BYTES, row.pendingBytes());
        int64(t, r, IterationColumn.DEVICE_PENDING_BYTES, row.devicePendingBytes());
        int64(t, r, IterationColumn.THRESHOLD_BYTES, row.thresholdBytes());
        byte[] decision = row.decision().getBytes(StandardCharsets.UTF_8);
        t.utf8(IterationColumn.DECISION.ordinal()).setSafe(r, decision, 0, decision.length);
    }

    private static void int64(TableFileWriter t, int r, IterationColumn c, long v) {
        t.int64(c.ordinal()).set(r, v);
    }
}
