package org.migtrace.recorder.importer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.migtrace.trace.Manifest;

/**
 * What an import produced.
 *
 * @param manifest      the trace's description as the whole input revealed it (source, hosts,
 *                      devices, notes, whether the capture is complete): what the final manifest says
 * @param lines         lines read
 * @param events        events rows written
 * @param dirtyRuns     dirty-runs rows written
 * @param iterations    iterations rows written
 * @param notUnderstood lines the importer skipped, counted per reason (for a trace log: per event
 *                      name, or {@code (not a trace event)}), sorted by key
 */
public record Imported(Manifest manifest, long lines, long events, long dirtyRuns, long iterations,
                       SortedMap<String, Long> notUnderstood) {

    public Imported {
        notUnderstood = Collections.unmodifiableSortedMap(new TreeMap<>(notUnderstood));
    }

    /** The reasons of {@link #notUnderstood()}, most frequent first (ties by name). */
    public List<Map.Entry<String, Long>> notUnderstoodByFrequency() {
        return byFrequency(notUnderstood);
    }

    /** Counts by key, the highest first (ties by key). */
    public static List<Map.Entry<String, Long>> byFrequency(Map<String, Long> counts) {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return entries;
    }

    /** All lines not understood. */
    public long notUnderstoodTotal() {
        return notUnderstood.values().stream().mapToLong(Long::longValue).sum();
    }
}
