package org.migtrace.trace;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.migtrace.trace.internal.JsonValues;
import org.migtrace.trace.internal.JsonValues.BadValue;
import org.migtrace.trace.internal.ManifestIo;
import org.migtrace.trace.internal.ReferenceTracker;

/**
 * Reads the JSON-lines form of a trace (docs/trace-format.md, "JSON lines") into a {@link TraceSink}:
 * an optional manifest line first (the key {@code format} marks it; without it the defaults apply
 * and {@code source.kind} is {@code jsonl}), then one line per event keyed by column name (omitted
 * keys are null; {@code seq} may be omitted and is then the previous one plus one), the event's
 * dirty runs nested as {@code "dirty_runs": [...]}, and iterations rows as lines with
 * {@code "table": "iterations"} after their ITERATION event. Blank lines are skipped.
 *
 * <p>Every line is checked completely before anything of it reaches the sink, so bad input is a
 * {@link BadTraceException} naming the file, the line and the key: unknown keys (ignored when the
 * manifest line declares a newer minor version), wrong types, a missing non-null column, a
 * {@code seq} that does not increase, a decreasing {@code ts_ns}, a value outside its vocabulary,
 * a dirty run outside an event line, an iterations row without its ITERATION event.
 */
public final class JsonlImport {

    /** The key that marks a line's table: absent or {@code "events"} for events, {@code "iterations"}. */
    public static final String TABLE_KEY = "table";
    /** The key of an event line's nested dirty runs. */
    public static final String DIRTY_RUNS_KEY = "dirty_runs";

    /** What was imported: the manifest and the rows per table. */
    public record Result(Manifest manifest, long events, long dirtyRuns, long iterations) {
    }

    private static final ObjectMapper LINES = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Map<String, EventColumn> EVENT_COLUMNS = byName(EventColumn.values());
    private static final Map<String, IterationColumn> ITERATION_COLUMNS = byName(IterationColumn.values());

    private final Path source;
    private final NewTrace.SinkFactory factory;
    private final ReferenceTracker refs = new ReferenceTracker();
    private Manifest manifest;
    private boolean newerMinor;
    private TraceSink sink;
    private long line;
    private long lastSeq = -1;
    private long lastTs = Long.MIN_VALUE;
    private long events;
    private long runs;
    private long iterations;

    private JsonlImport(Path source, NewTrace.SinkFactory factory) {
        this.source = source;
        this.factory = factory;
    }

    /**
     * Imports {@code jsonl} into a new trace directory {@code traceDir}. On bad input nothing is left
     * behind (the partial trace is discarded). The trace says the capture did not finish when the
     * manifest line says so.
     */
    public static Result toTrace(Path jsonl, Path traceDir) throws BadTraceException, IOException {
        try (BufferedReader in = Files.newBufferedReader(jsonl, StandardCharsets.UTF_8)) {
            return toTrace(in, jsonl, traceDir);
        }
    }

    /**
     * Imports the lines of {@code in} (named {@code source} in messages, e.g. {@code <stdin>}) into a
     * new trace directory {@code traceDir}; on bad input nothing is left behind.
     */
    public static Result toTrace(BufferedReader in, Path source, Path traceDir) throws BadTraceException, IOException {
        return NewTrace.write(traceDir, sinks -> read(in, source, sinks), r -> null, r -> r.manifest().complete());
    }

    /**
     * Reads every line of {@code in} into the sink {@code factory} opens (which the caller closes).
     *
     * @param source the input's name for error messages
     */
    public static Result read(BufferedReader in, Path source, NewTrace.SinkFactory factory) throws BadTraceException, IOException {
        return new JsonlImport(source, factory).run(in);
    }

    /** The manifest a file without a manifest line gets. */
    public static Manifest defaultManifest() {
        Manifest start = Manifest.start(new Manifest.Source("jsonl", null, null), List.of(), null, null, List.of(),
                List.of(), null);
        return start.finished(List.of(), 0, true, null, null);
    }

    private Result run(BufferedReader in) throws BadTraceException, IOException {
        String text;
        while ((text = in.readLine()) != null) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode node = parse(text);
            if (node.has("format")) {
                manifestLine(node);
            } else {
                open(defaultManifest());
                dataLine(node);
            }
        }
        open(defaultManifest());
        return new Result(manifest, events, runs, iterations);
    }

    private JsonNode parse(String text) throws BadTraceException {
        JsonNode node;
        try {
            node = LINES.readTree(text);
        } catch (JsonProcessingException e) {
            throw ManifestIo.jsonError(source, line, e);
        }
        if (node == null || !node.isObject()) {
            throw error("a line is one JSON object, found " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    private void manifestLine(JsonNode node) throws BadTraceException, IOException {
        if (sink != null) {
            throw error("a manifest line (key format) is only allowed as the first line");
        }
        Manifest m = ManifestIo.fromTree(source, line, node);
        newerMinor = TraceFormat.Version.parse(m.format().version()).orElseThrow().newerMinor();
        open(m);
        if (m.lostEvents() > 0) {
            sink.addLostEvents(m.lostEvents());
        }
    }

    private void open(Manifest m) throws IOException {
        if (sink == null) {
            manifest = m;
            sink = factory.open(m);
        }
    }

    private void dataLine(JsonNode node) throws BadTraceException {
        JsonNode table = node.get(TABLE_KEY);
        String name = table == null ? Table.EVENTS.tableName() : table.isTextual() ? table.asText() : table.toString();
        if (name.equals(Table.EVENTS.tableName())) {
            eventLine(node);
        } else if (name.equals(Table.ITERATIONS.tableName())) {
            iterationLine(node);
        } else if (name.equals(Table.DIRTY_RUNS.tableName())) {
            throw error("key table: a dirty run is written inside its event's line, as \"dirty_runs\": [{...}]");
        } else {
            throw error("key table: '" + name + "' is not events or iterations");
        }
    }

    private void eventLine(JsonNode node) throws BadTraceException {
        long[] longs = new long[EventColumn.values().length];
        String[] strings = new String[longs.length];
        boolean[] set = new boolean[longs.length];
        List<long[]> lineRuns = List.of();
        List<DirtySource> runSources = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (f.getKey().equals(TABLE_KEY) || f.getValue().isNull()) {
                continue;
            }
            if (f.getKey().equals(DIRTY_RUNS_KEY)) {
                lineRuns = dirtyRuns(f.getValue(), node.get(EventColumn.SEQ.column()), runSources);
                continue;
            }
            EventColumn c = EVENT_COLUMNS.get(f.getKey());
            if (c == null) {
                unknownKey(f.getKey(), EVENT_COLUMNS.keySet());
                continue;
            }
            set[c.ordinal()] = true;
            if (c.type() == ColumnType.UTF8) {
                strings[c.ordinal()] = text(c.column(), f.getValue());
            } else {
                longs[c.ordinal()] = c.type() == ColumnType.INT32 ? int32(c.column(), f.getValue()) : int64(c.column(), f.getValue());
            }
        }
        long seq = checkEvent(longs, strings, set);
        EventRow row = sink.event();
        for (EventColumn c : EventColumn.values()) {
            if (set[c.ordinal()]) {
                if (c.type() == ColumnType.UTF8) {
                    row.set(c, strings[c.ordinal()]);
                } else {
                    row.set(c, longs[c.ordinal()]);
                }
            }
        }
        long committed = row.commit();
        if (committed != seq) {
            throw new IllegalStateException("the sink assigned seq " + committed + ", expected " + seq);
        }
        refs.event(seq, EventKind.MIGRATION.label().equals(strings[EventColumn.KIND.ordinal()])
                && MigrationOp.ITERATION.name().equals(strings[EventColumn.OP.ordinal()]));
        for (int i = 0; i < lineRuns.size(); i++) {
            long[] r = lineRuns.get(i);
            if (r[3] != 0) {
                sink.dirtyWord(seq, runSources.get(i), r[0], r[1], r[3]);
            } else {
                sink.dirtyRun(seq, runSources.get(i), r[0], r[1], r[2]);
            }
        }
        events++;
        runs += lineRuns.size();
    }

    /** The contract the writer enforces, checked here first so that bad input is reported as such. */
    private long checkEvent(long[] longs, String[] strings, boolean[] set) throws BadTraceException {
        for (EventColumn c : EventColumn.values()) {
            if (!c.nullable() && c != EventColumn.SEQ && !set[c.ordinal()]) {
                throw error("missing key " + c.column() + " (every event has ts_ns, actor, kind and op)");
            }
        }
        long seq = set[EventColumn.SEQ.ordinal()] ? longs[EventColumn.SEQ.ordinal()] : lastSeq + 1;
        if (seq < 0 || seq <= lastSeq) {
            throw error("key seq: " + seq + " does not follow the previous event's seq " + lastSeq
                    + " (seq increases strictly, from 0 or more)");
        }
        long ts = longs[EventColumn.TS_NS.ordinal()];
        if (ts < lastTs) {
            throw error("key ts_ns: " + ts + " is before the previous event's " + lastTs + " (ts_ns never decreases)");
        }
        vocabulary("kind", strings[EventColumn.KIND.ordinal()], EventKind.class);
        vocabulary("actor", strings[EventColumn.ACTOR.ordinal()], Actor.class);
        lastSeq = seq;
        lastTs = ts;
        return seq;
    }

    /** The nested rows as {page_size, first_page, page_count, bits (0 for a run)}; their sources in {@code sources}. */
    private List<long[]> dirtyRuns(JsonNode array, JsonNode seqNode, List<DirtySource> sources) throws BadTraceException {
        if (!array.isArray()) {
            throw error("key dirty_runs: expected an array of {source, page_size, first_page, page_count}");
        }
        List<long[]> out = new ArrayList<>();
        for (JsonNode run : array) {
            if (!run.isObject()) {
                throw error("key dirty_runs: each run is an object {source, page_size, first_page, page_count}");
            }
            long[] values = new long[4];
            boolean word = false;
            DirtySource src = null;
            for (Map.Entry<String, JsonNode> f : run.properties()) {
                String key = DIRTY_RUNS_KEY + "." + f.getKey();
                switch (f.getKey()) {
                    case "source" -> src = Labeled.byLabel(DirtySource.class, text(key, f.getValue())).orElseThrow(
                            () -> error("key " + key + ": " + f.getValue() + " is not one of "
                                    + String.join(", ", Labeled.labels(DirtySource.class))));
                    case "page_size" -> values[0] = int64(key, f.getValue());
                    case "first_page" -> values[1] = int64(key, f.getValue());
                    case "page_count" -> values[2] = int64(key, f.getValue());
                    case "bits" -> {
                        values[3] = int64(key, f.getValue());
                        word = true;
                    }
                    case "event_seq" -> {
                        long s = int64(key, f.getValue());
                        if (seqNode == null || s != int64("seq", seqNode)) {
                            throw error("key " + key + ": " + s + " is not this event's seq (omit it: a nested run"
                                    + " belongs to its event)");
                        }
                    }
                    default -> unknownKey(key, List.of("source", "page_size", "first_page", "page_count", "bits"));
                }
            }
            if (word && (DirtyRows.runsIn(values[3]) < 2 || values[2] != Long.bitCount(values[3]))) {
                throw error("key dirty_runs: word " + run + " needs bits with two or more runs of set bits (fewer are"
                        + " a run: first_page and page_count without bits) and page_count equal to its set bits");
            }
            if (src == null || values[0] < 1 || values[2] < 1 || values[1] < 0) {
                throw error("key dirty_runs: run " + run + " needs source, page_size >= 1, first_page >= 0 and"
                        + " page_count >= 1");
            }
            sources.add(src);
            out.add(values);
        }
        return out;
    }

    private void iterationLine(JsonNode node) throws BadTraceException {
        Map<IterationColumn, JsonNode> values = new java.util.EnumMap<>(IterationColumn.class);
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (f.getKey().equals(TABLE_KEY) || f.getValue().isNull()) {
                continue;
            }
            IterationColumn c = ITERATION_COLUMNS.get(f.getKey());
            if (c == null) {
                unknownKey(f.getKey(), ITERATION_COLUMNS.keySet());
            } else {
                values.put(c, f.getValue());
            }
        }
        for (IterationColumn c : IterationColumn.values()) {
            if (!c.nullable() && !values.containsKey(c)) {
                throw error("missing key " + c.column() + " (an iterations row has every column but host)");
            }
        }
        IterationRow row = new IterationRow(i64(values, IterationColumn.SEQ), i64(values, IterationColumn.TS_NS),
                values.containsKey(IterationColumn.HOST) ? text("host", values.get(IterationColumn.HOST)) : null,
                int32("iteration", values.get(IterationColumn.ITERATION)), i64(values, IterationColumn.TIME_NS),
                i64(values, IterationColumn.DURATION_NS), i64(values, IterationColumn.DIRTY_PAGES_CPU),
                i64(values, IterationColumn.DIRTY_PAGES_DEVICE), i64(values, IterationColumn.NEW_DIRTY_PAGES),
                i64(values, IterationColumn.BYTES_SENT), i64(values, IterationColumn.DEVICE_BYTES_SENT),
                i64(values, IterationColumn.BANDWIDTH), i64(values, IterationColumn.PENDING_BYTES),
                i64(values, IterationColumn.DEVICE_PENDING_BYTES), i64(values, IterationColumn.THRESHOLD_BYTES),
                text("decision", values.get(IterationColumn.DECISION)));
        vocabulary("decision", row.decision(), Decision.class);
        String problem = refs.iteration(row.seq());
        if (problem != null) {
            throw error("key seq: " + problem + " (an iterations row follows its event)");
        }
        sink.iteration(row);
        iterations++;
    }

    private long i64(Map<IterationColumn, JsonNode> values, IterationColumn c) throws BadTraceException {
        return int64(c.column(), values.get(c));
    }

    private <E extends Enum<E> & Labeled> void vocabulary(String key, String value, Class<E> type)
            throws BadTraceException {
        if (!newerMinor && Labeled.byLabel(type, value).isEmpty()) {
            throw error("key " + key + ": '" + value + "' is not one of " + String.join(", ", Labeled.labels(type)));
        }
    }

    private void unknownKey(String key, java.util.Collection<String> known) throws BadTraceException {
        if (!newerMinor) {
            throw error("unknown key " + key + " (known: " + String.join(", ", known) + ")");
        }
    }

    private long int64(String key, JsonNode v) throws BadTraceException {
        try {
            return JsonValues.int64(v);
        } catch (BadValue e) {
            throw error("key " + key + ": " + e.getMessage());
        }
    }

    private int int32(String key, JsonNode v) throws BadTraceException {
        try {
            return JsonValues.int32(v);
        } catch (BadValue e) {
            throw error("key " + key + ": " + e.getMessage());
        }
    }

    private String text(String key, JsonNode v) throws BadTraceException {
        try {
            return JsonValues.text(v);
        } catch (BadValue e) {
            throw error("key " + key + ": " + e.getMessage());
        }
    }

    private BadTraceException error(String message) {
        return BadTraceException.atLine(source, line, message);
    }

    private static <C extends Column> Map<String, C> byName(C[] columns) {
        Map<String, C> out = new java.util.LinkedHashMap<>();
        for (C c : columns) {
            out.put(c.column(), c);
        }
        return out;
    }
}
