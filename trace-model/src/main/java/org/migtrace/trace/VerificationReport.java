package org.migtrace.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link TraceVerifier} found: every problem (each kind once, with its first occurrence and
 * how often it occurred), the events that are intact, and notes that are not problems (a capture
 * that did not finish, a newer minor version). {@link #ok()} when there is no problem: a capture
 * cut short by a crash whose prefix is intact is ok.
 *
 * @param formatVersion  the manifest's format version, null when the manifest could not be read
 * @param captureComplete the manifest's {@code complete}
 * @param intactEvents   events that read back without error (the prefix before the first corrupt batch)
 * @param tables         what opening each table file found (tables that could not be opened are absent)
 * @param lostEvents     the manifest's count of events the capture lost (not a problem of the trace, but every
 *                       analysis of it should warn: rows are missing)
 */
public record VerificationReport(Path dir, String formatVersion, boolean captureComplete, long intactEvents,
                                 List<TableStatus> tables, List<Problem> problems, List<String> notes, long lostEvents) {

    /** What can be wrong with a trace. */
    public enum ProblemKind {
        /** manifest.json missing, not JSON, not this format, an unsupported major version. */
        MANIFEST,
        /** A table file is missing. */
        MISSING_FILE,
        /** A table file ends early although the manifest says it was finished. */
        TRUNCATED,
        /** A table file is not Arrow IPC framing, or a record batch does not load. */
        CORRUPT,
        /** A table's schema lacks a non-null column or has a column of the wrong type. */
        SCHEMA,
        /** The manifest's row count for a table differs from the file's. */
        ROW_COUNT,
        /** A table file's SHA-256 differs from the manifest's. */
        CHECKSUM,
        /** Events whose seq does not increase strictly. */
        SEQ_ORDER,
        /** Events whose ts_ns decreases. */
        TS_ORDER,
        /** A text column outside its vocabulary (kind, actor, source, decision). */
        VOCABULARY,
        /** A value outside its range (a negative seq, a page_count below 1...). */
        VALUE,
        /** Dirty runs not in event_seq order. */
        DIRTY_RUN_ORDER,
        /** A dirty run whose event_seq is not an event's seq. */
        DANGLING_DIRTY_RUN,
        /** Iterations rows not in strictly increasing seq order. */
        ITERATION_ORDER,
        /** An iterations row whose seq is not an event of kind migration and op ITERATION. */
        ITERATION_REFERENCE
    }

    /**
     * One kind of problem in one file.
     *
     * @param file        the file it is in
     * @param where       where its first occurrence is: {@code offset N}, {@code row N (seq S)}, or ""
     * @param message     what is wrong, at the first occurrence
     * @param occurrences how many times it occurs
     */
    public record Problem(ProblemKind kind, String file, String where, String message, long occurrences) {

        /** {@code file: where: message (and N more)}. */
        public String describe() {
            return file + (where.isEmpty() ? "" : ": " + where) + ": " + message
                    + (occurrences > 1 ? " (and " + (occurrences - 1) + " more)" : "");
        }
    }

    public VerificationReport {
        tables = List.copyOf(tables);
        problems = List.copyOf(problems);
        notes = List.copyOf(notes);
    }

    /** No problems (notes allowed). */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** One line: what a person wants to know first. */
    public String verdict() {
        if (!ok()) {
            return problems.size() + (problems.size() == 1 ? " problem" : " problems") + "; " + intactEvents
                    + " events intact";
        }
        if (!captureComplete) {
            return "ok: capture did not finish; " + intactEvents + " events intact";
        }
        return "ok: " + intactEvents + " events; checksums and references verified";
    }
}
