package org.migtrace.trace.internal;

import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.DirtyRunColumn;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationColumn;
import org.migtrace.trace.IterationRow;
import org.migtrace.trace.RecordedDirtyRun;
import org.migtrace.trace.RecordedEvent;

/** Turns a row of a loaded batch into its record; a null in a non-null column is a corrupt batch. */
public final class RowDecoders {

    /** Decodes row {@code row} of the batch {@code r} has loaded. */
    @FunctionalInterface
    public interface RowDecoder<T> {
        T decode(TableFileReader r, int row) throws BadTraceException;
    }

    private static final int E_SEQ = EventColumn.SEQ.ordinal();
    private static final int E_TS_NS = EventColumn.TS_NS.ordinal();
    private static final int E_HOST = EventColumn.HOST.ordinal();
    private static final int E_PID = EventColumn.PID.ordinal();
    private static final int E_TID = EventColumn.TID.ordinal();
    private static final int E_THREAD = EventColumn.THREAD.ordinal();
    private static final int E_ACTOR = EventColumn.ACTOR.ordinal();
    private static final int E_KIND = EventColumn.KIND.ordinal();
    private static final int E_OP = EventColumn.OP.ordinal();
    private static final int E_CMD = EventColumn.CMD.ordinal();
    private static final int E_FD = EventColumn.FD.ordinal();
    private static final int E_FD_KIND = EventColumn.FD_KIND.ordinal();
    private static final int E_OBJECT = EventColumn.OBJECT.ordinal();
    private static final int E_DEVICE = EventColumn.DEVICE.ordinal();
    private static final int E_FEATURE = EventColumn.FEATURE.ordinal();
    private static final int E_FEATURE_OPS = EventColumn.FEATURE_OPS.ordinal();
    private static final int E_FLAGS = EventColumn.FLAGS.ordinal();
    private static final int E_ARGSZ = EventColumn.ARGSZ.ordinal();
    private static final int E_IOVA = EventColumn.IOVA.ordinal();
    private static final int E_LENGTH = EventColumn.LENGTH.ordinal();
    private static final int E_PAGE_SIZE = EventColumn.PAGE_SIZE.ordinal();
    private static final int E_VADDR = EventColumn.VADDR.ordinal();
    private static final int E_REQUESTED_STATE = EventColumn.REQUESTED_STATE.ordinal();
    private static final int E_FROM_STATE = EventColumn.FROM_STATE.ordinal();
    private static final int E_TO_STATE = EventColumn.TO_STATE.ordinal();
    private static final int E_STATE_RAW = EventColumn.STATE_RAW.ordinal();
    private static final int E_DATA_FD = EventColumn.DATA_FD.ordinal();
    private static final int E_COUNT = EventColumn.COUNT.ordinal();
    private static final int E_OFFSET = EventColumn.OFFSET.ordinal();
    private static final int E_INITIAL_BYTES = EventColumn.INITIAL_BYTES.ordinal();
    private static final int E_DIRTY_BYTES = EventColumn.DIRTY_BYTES.ordinal();
    private static final int E_STOP_COPY_LENGTH = EventColumn.STOP_COPY_LENGTH.ordinal();
    private static final int E_RET = EventColumn.RET.ordinal();
    private static final int E_ERRNO = EventColumn.ERRNO.ordinal();
    private static final int E_ERRNO_NUM = EventColumn.ERRNO_NUM.ordinal();
    private static final int E_ARGS = EventColumn.ARGS.ordinal();

    public static final RowDecoder<RecordedEvent> EVENTS = RowDecoders::event;
    public static final RowDecoder<RecordedDirtyRun> DIRTY_RUNS = RowDecoders::dirtyRun;
    public static final RowDecoder<IterationRow> ITERATIONS = RowDecoders::iteration;

    private RowDecoders() {
    }

    private static RecordedEvent event(TableFileReader r, int row) throws BadTraceException {
        return new RecordedEvent(
                r.requiredInt64(E_SEQ, row),
                r.requiredInt64(E_TS_NS, row),
                r.utf8(E_HOST, row),
                r.int32(E_PID, row),
                r.int32(E_TID, row),
                r.utf8(E_THREAD, row),
                r.requiredUtf8(E_ACTOR, row),
                r.requiredUtf8(E_KIND, row),
                r.requiredUtf8(E_OP, row),
                r.int64(E_CMD, row),
                r.int32(E_FD, row),
                r.utf8(E_FD_KIND, row),
                r.utf8(E_OBJECT, row),
                r.utf8(E_DEVICE, row),
                r.utf8(E_FEATURE, row),
                r.utf8(E_FEATURE_OPS, row),
                r.int64(E_FLAGS, row),
                r.int64(E_ARGSZ, row),
                r.int64(E_IOVA, row),
                r.int64(E_LENGTH, row),
                r.int64(E_PAGE_SIZE, row),
                r.int64(E_VADDR, row),
                r.utf8(E_REQUESTED_STATE, row),
                r.utf8(E_FROM_STATE, row),
                r.utf8(E_TO_STATE, row),
                r.int64(E_STATE_RAW, row),
                r.int32(E_DATA_FD, row),
                r.int64(E_COUNT, row),
                r.int64(E_OFFSET, row),
                r.int64(E_INITIAL_BYTES, row),
                r.int64(E_DIRTY_BYTES, row),
                r.int64(E_STOP_COPY_LENGTH, row),
                r.int64(E_RET, row),
                r.utf8(E_ERRNO, row),
                r.int32(E_ERRNO_NUM, row),
                r.utf8(E_ARGS, row));
    }

    private static RecordedDirtyRun dirtyRun(TableFileReader r, int row) throws BadTraceException {
        return new RecordedDirtyRun(
                r.requiredInt64(DirtyRunColumn.EVENT_SEQ.ordinal(), row),
                r.requiredUtf8(DirtyRunColumn.SOURCE.ordinal(), row),
                r.requiredInt64(DirtyRunColumn.PAGE_SIZE.ordinal(), row),
                r.requiredInt64(DirtyRunColumn.FIRST_PAGE.ordinal(), row),
                r.requiredInt64(DirtyRunColumn.PAGE_COUNT.ordinal(), row),
                bits(r, row));
    }

    /** A word's bits, or 0 for a run (null; a 1.x file has no such column). */
    private static long bits(TableFileReader r, int row) throws BadTraceException {
        Long bits = r.int64(DirtyRunColumn.BITS.ordinal(), row);
        if (bits != null && bits == 0) {
            throw r.badValue(DirtyRunColumn.BITS.ordinal(), row, "is 0 (null for a run; a word has set bits)");
        }
        return bits == null ? 0 : bits;
    }

    private static IterationRow iteration(TableFileReader r, int row) throws BadTraceException {
        return new IterationRow(
                r.requiredInt64(IterationColumn.SEQ.ordinal(), row),
                r.requiredInt64(IterationColumn.TS_NS.ordinal(), row),
                r.utf8(IterationColumn.HOST.ordinal(), row),
                r.requiredInt32(IterationColumn.ITERATION.ordinal(), row),
                r.requiredInt64(IterationColumn.TIME_NS.ordinal(), row),
                r.requiredInt64(IterationColumn.DURATION_NS.ordinal(), row),
                r.requiredInt64(IterationColumn.DIRTY_PAGES_CPU.ordinal(), row),
                r.requiredInt64(IterationColumn.DIRTY_PAGES_DEVICE.ordinal(), row),
                r.requiredInt64(IterationColumn.NEW_DIRTY_PAGES.ordinal(), row),
                r.requiredInt64(IterationColumn.BYTES_SENT.ordinal(), row),
                r.requiredInt64(IterationColumn.DEVICE_BYTES_SENT.ordinal(), row),
                r.requiredInt64(IterationColumn.BANDWIDTH.ordinal(), row),
                r.requiredInt64(IterationColumn.PENDING_BYTES.ordinal(), row),
                r.requiredInt64(IterationColumn.DEVICE_PENDING_BYTES.ordinal(), row),
                r.requiredInt64(IterationColumn.THRESHOLD_BYTES.ordinal(), row),
                r.requiredUtf8(IterationColumn.DECISION.ordinal(), row));
    }
}
