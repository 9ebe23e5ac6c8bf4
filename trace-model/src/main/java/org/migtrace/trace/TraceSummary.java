package org.migtrace.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.migtrace.uapi.Errno;

/**
 * What {@code migtrace info} shows: where a trace came from, what it covers and how much of each
 * thing it holds, read in one pass over its tables. Everything is data in a fixed order (ops by
 * kind then name, errno by name, dirty pages by source), ready to print.
 *
 * @param firstTsNs       timestamp of the first event, null when there are none
 * @param lastTsNs        timestamp of the last event, null when there are none
 * @param events          events the trace yields (all, or the intact prefix of a capture cut short)
 * @param dirtyPages      pages in all dirty runs, by source ({@code bitmap}, {@code cpu_write}, {@code dma_write})
 * @param ops             events per (kind, op), with how many failed ({@code ret < 0})
 * @param errnos          failed events per errno
 * @param lostEvents      the manifest's lost-event count
 * @param lostInMarkers   the events that {@code lost} markers in the events table count
 * @param captureComplete whether the capture finished cleanly
 * @param tables          each table file's intact rows and whether it was recovered without its footer
 * @param notes           the manifest's notes (what an importer wants a reader to know)
 */
public record TraceSummary(Path dir, String formatVersion, Manifest.Source source, List<Manifest.HostInfo> hosts,
                           List<Manifest.DeviceInfo> devices, Manifest.ScenarioInfo scenario, Long pageSize,
                           Long guestMemory, Long firstTsNs, Long lastTsNs, long events, long dirtyRuns,
                           SortedMap<String, Long> dirtyPages, long iterations, List<OpCount> ops,
                           List<ErrnoCount> errnos, long lostEvents, long lostInMarkers, boolean captureComplete,
                           List<TableStatus> tables, List<String> notes) {

    /** Events of one op: how many, and how many failed. */
    public record OpCount(String kind, String op, long count, long failed) {
    }

    /** Failed events with one errno ({@code number} null when only the name was recorded). */
    public record ErrnoCount(String errno, Integer number, long count) {
    }

    /** The time span of the events, null when there are none. */
    public Long durationNs() {
        return firstTsNs == null ? null : lastTsNs - firstTsNs;
    }

    /** Reads the trace in {@code dir} and summarizes it. */
    public static TraceSummary read(Path dir) throws BadTraceException, IOException {
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            return of(trace);
        }
    }

    /** Summarizes an open trace (reads its tables from the start with cursors of its own). */
    public static TraceSummary of(RecordedTrace trace) throws BadTraceException, IOException {
        Map<List<String>, long[]> ops = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        Map<String, ErrnoCount> errnos = new TreeMap<>();
        Long first = null;
        Long last = null;
        long lostInMarkers = 0;
        try (TableCursor<RecordedEvent> events = trace.events()) {
            while (events.hasNext()) {
                RecordedEvent e = events.next();
                first = first == null ? e.tsNs() : first;
                last = e.tsNs();
                long[] c = ops.computeIfAbsent(List.of(e.kind(), e.op()), k -> new long[2]);
                c[0]++;
                if (e.failed() || e.errno() != null) {
                    c[1]++;
                    String name = e.errno() != null ? e.errno() : e.ret() == null ? "unknown" : Errno.describe(e.ret());
                    errnos.merge(name, new ErrnoCount(name, e.errnoNum() != null ? e.errnoNum()
                            : e.error().map(Errno::number).orElse(null), 1),
                            (a, b) -> new ErrnoCount(a.errno(), a.number(), a.count() + 1));
                }
                if (EventKind.LOST.label().equals(e.kind()) && e.count() != null) {
                    lostInMarkers += e.count();
                }
            }
        }
        SortedMap<String, Long> pages = new TreeMap<>();
        long runs = 0;
        try (TableCursor<RecordedDirtyRun> cursor = trace.dirtyRuns()) {
            while (cursor.hasNext()) {
                RecordedDirtyRun r = cursor.next();
                pages.merge(r.source(), r.pageCount(), Long::sum);
                runs++;
            }
        }
        List<OpCount> opCounts = new ArrayList<>();
        ops.forEach((k, v) -> opCounts.add(new OpCount(k.get(0), k.get(1), v[0], v[1])));
        Manifest m = trace.manifest();
        return new TraceSummary(trace.directory(), m.format().version(), m.source(), m.hosts(), m.devices(), m.scenario(),
                m.pageSize(), m.guestMemory(), first, last, trace.eventCount(), runs, Collections.unmodifiableSortedMap(pages),
                trace.table(Table.ITERATIONS).rows(), List.copyOf(opCounts), List.copyOf(errnos.values()), m.lostEvents(),
                lostInMarkers, m.complete(), trace.tables(), m.notes());
    }
}
