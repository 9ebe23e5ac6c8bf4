package org.migtrace.trace;

import java.io.IOException;
import java.util.Map;
import org.migtrace.trace.VerificationReport.ProblemKind;
import org.migtrace.trace.internal.RowDecoders;
import org.migtrace.trace.internal.RowDecoders.RowDecoder;
import org.migtrace.trace.internal.TableFileReader;
import org.migtrace.trace.internal.TableIndex;

/**
 * The row checks of {@link TraceVerifier}: one pass over the events that advances the dirty-runs
 * and iterations cursors alongside (both are ordered by the event they name), so references are
 * checked with one batch per table in memory and no lookup table.
 */
final class RowVerifier {

    private final Map<Table, TableIndex> tables;
    private final TraceVerifier.Problems problems;
    private final boolean newerMinor;
    private final boolean cutShort;
    private final org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();

    private Cursor<RecordedDirtyRun> runs;
    private Cursor<IterationRow> iterations;
    private long lastRunSeq = Long.MIN_VALUE;
    private long lastIterationSeq = Long.MIN_VALUE;
    private boolean runsOrdered = true;
    private boolean iterationsOrdered = true;

    RowVerifier(Map<Table, TableIndex> tables, TraceVerifier.Problems problems, boolean newerMinor, boolean cutShort) {
        this.tables = tables;
        this.problems = problems;
        this.newerMinor = newerMinor;
        this.cutShort = cutShort;
    }

    /** Runs every row check; returns the number of events that read without error. */
    long run() throws IOException {
        try (Cursor<RecordedEvent> events = open(Table.EVENTS, RowDecoders.EVENTS)) {
            runs = open(Table.DIRTY_RUNS, RowDecoders.DIRTY_RUNS);
            iterations = open(Table.ITERATIONS, RowDecoders.ITERATIONS);
            RecordedDirtyRun run = nextRun();
            IterationRow iteration = nextIteration();
            long lastSeq = Long.MIN_VALUE;
            long lastTs = Long.MIN_VALUE;
            RecordedEvent e;
            while ((e = events.next()) != null) {
                checkEvent(events, e, lastSeq, lastTs);
                lastSeq = e.seq();
                lastTs = e.tsNs();
                while (run != null && runsOrdered && run.eventSeq() <= e.seq()) {
                    if (run.eventSeq() != e.seq()) {
                        dangling(run);
                    }
                    run = nextRun();
                }
                while (iteration != null && iterationsOrdered && iteration.seq() <= e.seq()) {
                    checkIterationEvent(iteration, iteration.seq() == e.seq() ? e : null);
                    iteration = nextIteration();
                }
            }
            boolean allEvents = events.complete() && !cutShort;
            for (; run != null && runsOrdered; run = nextRun()) {
                if (allEvents) {
                    dangling(run);
                }
            }
            for (; iteration != null && iterationsOrdered; iteration = nextIteration()) {
                if (allEvents) {
                    checkIterationEvent(iteration, null);
                }
            }
            return events.read;
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            close(runs);
            close(iterations);
            allocator.close();
        }
    }

    private void checkEvent(Cursor<RecordedEvent> c, RecordedEvent e, long lastSeq, long lastTs) {
        String file = c.file();
        if (e.seq() < 0) {
            problems.add(ProblemKind.VALUE, file, c.where(e.seq()), "seq " + e.seq() + " is negative");
        }
        if (lastSeq != Long.MIN_VALUE && e.seq() <= lastSeq) {
            problems.add(ProblemKind.SEQ_ORDER, file, c.where(e.seq()), "seq " + e.seq() + " after seq " + lastSeq
                    + " (seq must increase strictly)");
        }
        if (e.tsNs() < lastTs) {
            problems.add(ProblemKind.TS_ORDER, file, c.where(e.seq()), "ts_ns " + e.tsNs() + " before the previous event's "
                    + lastTs + " (ts_ns must not decrease)");
        }
        vocabulary(file, c.where(e.seq()), "kind", e.kind(), e.eventKind().isPresent(), EventKind.class);
        vocabulary(file, c.where(e.seq()), "actor", e.actor(), e.actorKind().isPresent(), Actor.class);
    }

    private <E extends Enum<E> & Labeled> void vocabulary(String file, String where, String column, String value,
                                                           boolean known, Class<E> type) {
        if (!known && !newerMinor) {
            problems.add(ProblemKind.VOCABULARY, file, where, column + " '" + value + "' is not one of "
                    + String.join(", ", Labeled.labels(type)));
        }
    }

    private RecordedDirtyRun nextRun() {
        RecordedDirtyRun r = runs.next();
        if (r == null) {
            return null;
        }
        String where = runs.where(-1);
        if (r.eventSeq() < lastRunSeq) {
            problems.add(ProblemKind.DIRTY_RUN_ORDER, runs.file(), where, "event_seq " + r.eventSeq() + " after "
                    + lastRunSeq + " (dirty runs come in event_seq order); references not checked further");
            runsOrdered = false;
        }
        lastRunSeq = r.eventSeq();
        vocabulary(runs.file(), where, "source", r.source(), r.dirtySource().isPresent(), DirtySource.class);
        if (r.pageSize() < 1 || r.pageCount() < 1 || r.firstPage() < 0) {
            problems.add(ProblemKind.VALUE, runs.file(), where, "page_size " + r.pageSize() + ", first_page "
                    + r.firstPage() + ", page_count " + r.pageCount() + " (page_size and page_count at least 1, first_page"
                    + " not negative)");
        } else if (r.isWord() && (r.pageCount() != Long.bitCount(r.bits()) || DirtyRows.runsIn(r.bits()) < 2)) {
            problems.add(ProblemKind.VALUE, runs.file(), where, "bits 0x" + Long.toHexString(r.bits()) + ", page_count "
                    + r.pageCount() + " (a word has two or more runs of set bits, and page_count is their number)");
        }
        return r;
    }

    private void dangling(RecordedDirtyRun r) {
        problems.add(ProblemKind.DANGLING_DIRTY_RUN, runs.file(), runs.where(-1), "event_seq " + r.eventSeq()
                + " is not the seq of any event");
    }

    private IterationRow nextIteration() {
        IterationRow r = iterations.next();
        if (r == null) {
            return null;
        }
        String where = iterations.where(r.seq());
        if (r.seq() <= lastIterationSeq) {
            problems.add(ProblemKind.ITERATION_ORDER, iterations.file(), where, "seq " + r.seq() + " after " + lastIterationSeq
                    + " (one row per ITERATION event, in seq order); references not checked further");
            iterationsOrdered = false;
        }
        lastIterationSeq = r.seq();
        vocabulary(iterations.file(), where, "decision", r.decision(),
                Labeled.byLabel(Decision.class, r.decision()).isPresent(), Decision.class);
        return r;
    }

    private void checkIterationEvent(IterationRow r, RecordedEvent e) {
        if (e == null) {
            problems.add(ProblemKind.ITERATION_REFERENCE, iterations.file(), iterations.where(r.seq()),
                    "seq " + r.seq() + " is not the seq of any event");
        } else if (!EventKind.MIGRATION.label().equals(e.kind()) || !MigrationOp.ITERATION.name().equals(e.op())) {
            problems.add(ProblemKind.ITERATION_REFERENCE, iterations.file(), iterations.where(r.seq()),
                    "seq " + r.seq() + " is an event of kind " + e.kind() + ", op " + e.op()
                            + " (expected kind migration, op ITERATION)");
        }
    }

    private <T> Cursor<T> open(Table table, RowDecoder<T> decoder) throws IOException {
        TableIndex index = tables.get(table);
        return index == null ? new Cursor<>(null, null) : new Cursor<>(new TableFileReader(table, index, allocator), decoder);
    }

    private static void close(Cursor<?> c) throws IOException {
        if (c != null) {
            c.close();
        }
    }

    /** A table's rows; a corrupt batch becomes a problem and ends the table. */
    private final class Cursor<T> implements AutoCloseable {
        private final TableFileReader reader;
        private final TableCursor<T> cursor;
        private long read;
        private boolean failed;

        Cursor(TableFileReader reader, RowDecoder<T> decoder) {
            this.reader = reader;
            this.cursor = reader == null ? null : new TableCursor<>(reader, decoder, () -> { });
        }

        T next() {
            if (cursor == null || failed || !cursor.hasNext()) {
                return null;
            }
            try {
                T t = cursor.next();
                read++;
                return t;
            } catch (BadTraceException e) {
                problems.add(ProblemKind.CORRUPT, e);
                failed = true;
                return null;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** Whether every row of the table was read. */
        boolean complete() {
            return cursor != null && !failed && !cursor.hasNext();
        }

        String file() {
            return reader.index().file().toString();
        }

        String where(long seq) {
            return "row " + (read - 1) + (seq >= 0 ? " (seq " + seq + ")" : "");
        }

        @Override
        public void close() {
            if (cursor != null) {
                cursor.close();
            }
        }
    }
}
