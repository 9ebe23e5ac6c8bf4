package org.migtrace.recorder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.trace.DirtySource;
import org.migtrace.trace.EventColumn;
import org.migtrace.trace.IterationRow;

/** A contract-checking sink that keeps every row in memory, for tests on small runs. */
final class MemorySink extends ContractSink {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One events row. */
    record Row(Map<EventColumn, Object> values) {
        long seq() {
            return (Long) values.get(EventColumn.SEQ);
        }

        String str(EventColumn c) {
            return (String) values.get(c);
        }

        Long num(EventColumn c) {
            return (Long) values.get(c);
        }

        boolean is(String kind, String op) {
            return kind.equals(str(EventColumn.KIND)) && op.equals(str(EventColumn.OP));
        }

        /** {@code args} parsed; a missing node for no args. */
        JsonNode args() {
            String a = str(EventColumn.ARGS);
            try {
                return a == null ? JSON.missingNode() : JSON.readTree(a);
            } catch (Exception e) {
                throw new AssertionError("args is not JSON: " + a, e);
            }
        }
    }

    /** One dirty_runs row: a run, or a word ({@code bits} not 0). */
    record Run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits) {
        Run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount) {
            this(eventSeq, source, pageSize, firstPage, pageCount, 0);
        }

        /** The row's pages as runs [first_page, page_count] in page order. */
        List<List<Long>> runs() {
            if (bits == 0) {
                return List.of(List.of(firstPage, pageCount));
            }
            List<List<Long>> out = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                if ((bits >>> i & 1) != 0) {
                    int end = i;
                    while (end < 64 && (bits >>> end & 1) != 0) {
                        end++;
                    }
                    out.add(List.of(firstPage + i, (long) (end - i)));
                    i = end;
                }
            }
            return out;
        }
    }

    /** Rows (runs and words, in page order) as the plain runs of the pages they hold. */
    static List<List<Long>> asRuns(List<Run> rows) {
        List<List<Long>> out = new ArrayList<>();
        for (Run r : rows) {
            for (List<Long> run : r.runs()) {
                List<Long> last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last.get(0) + last.get(1) == run.get(0)) {
                    out.set(out.size() - 1, List.of(last.get(0), last.get(1) + run.get(1)));
                } else {
                    out.add(run);
                }
            }
        }
        return out;
    }

    final List<Row> rows = new ArrayList<>();
    final List<Run> runs = new ArrayList<>();
    final List<IterationRow> iterations = new ArrayList<>();
    private final Map<Long, List<Run>> runsBySeq = new TreeMap<>();

    @Override
    protected void row(long seq, Map<EventColumn, Object> values) {
        rows.add(new Row(values));
    }

    @Override
    protected void run(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount, long bits) {
        Run r = new Run(eventSeq, source, pageSize, firstPage, pageCount, bits);
        runs.add(r);
        runsBySeq.computeIfAbsent(eventSeq, k -> new ArrayList<>()).add(r);
    }

    @Override
    protected void iterationRow(IterationRow row) {
        Row event = rows.stream().filter(r -> r.seq() == row.seq()).findFirst().orElseThrow();
        if (!event.is("migration", "ITERATION")) {
            throw new IllegalStateException("iteration row " + row + " points at " + event);
        }
        iterations.add(row);
    }

    /** The rows of {@code kind}. */
    List<Row> kind(String kind) {
        return rows.stream().filter(r -> kind.equals(r.str(EventColumn.KIND))).toList();
    }

    /** The rows of {@code kind} with {@code op}. */
    List<Row> rows(String kind, String op) {
        return rows.stream().filter(r -> r.is(kind, op)).toList();
    }

    /** The dirty runs of the event with {@code seq}. */
    List<Run> runsOf(long seq) {
        return runsBySeq.getOrDefault(seq, List.of());
    }
}
