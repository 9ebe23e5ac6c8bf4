package org.migtrace.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.migtrace.trace.VerificationReport.ProblemKind;
import org.migtrace.trace.internal.ManifestIo;
import org.migtrace.trace.internal.TableIndex;
import org.migtrace.trace.internal.TraceTables;

/**
 * Checks a trace directory completely and says what is wrong, as data ({@link VerificationReport}):
 * the manifest's format and version; every table file present, framed as Arrow IPC, with its
 * schema; for files the manifest lists, their row counts and SHA-256; then every row, in one
 * merged pass with one record batch per table in memory: {@code seq} strictly increasing,
 * {@code ts_ns} non-decreasing, non-null columns non-null, vocabularies ({@code kind},
 * {@code actor}, {@code source}, {@code decision}), dirty runs in {@code event_seq} order and each
 * naming an event, iterations rows in {@code seq} order and each naming a migration ITERATION event.
 *
 * <p>A capture cut short by a crash is checked up to what it holds: references past its last intact
 * event are not problems, and the report notes how many events are intact.
 */
public final class TraceVerifier {

    private TraceVerifier() {
    }

    /** Verifies the trace in {@code dir}; I/O failures (not bad content) are thrown. */
    public static VerificationReport verify(Path dir) throws IOException {
        Problems problems = new Problems();
        List<String> notes = new ArrayList<>();
        Manifest manifest;
        try {
            manifest = ManifestIo.read(dir);
        } catch (BadTraceException e) {
            problems.add(ProblemKind.MANIFEST, e);
            return new VerificationReport(dir, null, false, 0, List.of(), problems.list(), notes, 0);
        }
        TraceFormat.Version version = TraceFormat.Version.parse(manifest.format().version()).orElseThrow();
        if (version.newerMinor()) {
            notes.add("format " + version + " is newer than this reader's " + TraceFormat.version()
                    + ": columns and vocabulary values it added are not checked");
        }
        Map<Table, TableIndex> readable = new EnumMap<>(Table.class);
        List<TableStatus> statuses = new ArrayList<>();
        for (Table t : Table.values()) {
            checkFile(dir, manifest, t, problems).ifPresent(index -> {
                readable.put(t, index);
                TableStatus status = TraceTables.status(t, index);
                statuses.add(status);
                if (status.recovery() != null && !manifest.complete()) {
                    notes.add(t.file() + ": " + status.recovery());
                }
            });
        }
        long intact = new RowVerifier(readable, problems, version.newerMinor(), !manifest.complete()).run();
        if (!manifest.complete()) {
            notes.add(0, "capture did not finish; " + intact + " events intact");
        }
        return new VerificationReport(dir, version.toString(), manifest.complete(), intact, statuses, problems.list(),
                notes, manifest.lostEvents());
    }

    /** File-level checks of one table; the index when its rows can be read. */
    private static Optional<TableIndex> checkFile(Path dir, Manifest manifest, Table t, Problems problems)
            throws IOException {
        TableIndex index;
        try {
            index = TraceTables.scan(dir, t);
        } catch (BadTraceException e) {
            boolean missing = !Files.isRegularFile(dir.resolve(t.file()));
            problems.add(missing ? ProblemKind.MISSING_FILE : ProblemKind.CORRUPT, e);
            return Optional.empty();
        }
        Optional<BadTraceException> schema = TraceTables.schemaMismatch(t, index);
        if (schema.isPresent()) {
            problems.add(ProblemKind.SCHEMA, schema.get());
            return Optional.empty();
        }
        Optional<BadTraceException> truncated = TraceTables.truncation(manifest, t, index);
        truncated.ifPresent(e -> problems.add(ProblemKind.TRUNCATED, e));
        TraceTables.rowCountMismatch(manifest, t, index).ifPresent(e -> problems.add(ProblemKind.ROW_COUNT, e));
        Optional<Manifest.TableInfo> listed = manifest.table(t);
        if (truncated.isEmpty() && listed.isPresent()) {
            for (var sum : listed.get().checksums().entrySet()) {
                String actual = sum.getKey().of(index.file());
                if (!actual.equalsIgnoreCase(sum.getValue())) {
                    problems.add(ProblemKind.CHECKSUM, index.file().toString(), "", sum.getKey().title()
                            + " mismatch: the manifest says " + sum.getValue() + ", the file has " + actual
                            + " (the file changed after the capture finished; its rows may hold altered values)");
                }
            }
        }
        return Optional.of(index);
    }

    /** Problems by (kind, file): the first occurrence kept, later ones counted. */
    static final class Problems {
        private final Map<String, VerificationReport.Problem> byKey = new java.util.LinkedHashMap<>();

        void add(ProblemKind kind, String file, String where, String message) {
            byKey.merge(kind + "\0" + file, new VerificationReport.Problem(kind, file, where, message, 1),
                    (a, b) -> new VerificationReport.Problem(a.kind(), a.file(), a.where(), a.message(),
                            a.occurrences() + 1));
        }

        /** A bad-input exception as a problem: its place, and what is wrong. */
        void add(ProblemKind kind, BadTraceException e) {
            String where = e.offset() >= 0 ? "offset " + e.offset() : e.line() > 0 ? "line " + e.line() : "";
            add(kind, e.file(), where, e.problem());
        }

        List<VerificationReport.Problem> list() {
            return List.copyOf(byKey.values());
        }
    }
}
