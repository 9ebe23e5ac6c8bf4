package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cursors for one fast pass (replay): the same rows as the plain ones, values shared, bad text reported. */
class SharingCursorTest {
    @TempDir
    Path dir;

    @Test
    void sharingCursorsYieldTheRowsThePlainCursorsYield() throws Exception {
        SampleTrace.of(1000).write(dir, 7);
        try (RecordedTrace t = RecordedTrace.open(dir)) {
            assertThat(all(t.eventsSharingValues())).isEqualTo(all(t.events()));
            assertThat(all(t.dirtyRunsSharingValues())).isEqualTo(all(t.dirtyRuns()));
        }
    }

    @Test
    void equalTextsOfAColumnAreOneInstanceAcrossBatches() throws Exception {
        SampleTrace.of(100).write(dir, 7);
        try (RecordedTrace t = RecordedTrace.open(dir)) {
            List<RecordedEvent> events = all(t.eventsSharingValues());
            List<RecordedEvent> opens = events.stream().filter(e -> e.op().equals("openat")).toList();
            assertThat(opens).hasSizeGreaterThan(2);
            assertThat(opens.get(opens.size() - 1).op()).isSameAs(opens.get(0).op());
        }
    }

    @Test
    void aTextThatIsNotUtf8IsReportedWithItsRowAndColumn() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (RecordedEvent e : SampleTrace.of(8).events()) {
            rows.add(RawTraceFiles.event(e));
        }
        rows.get(3)[EventColumn.OBJECT.ordinal()] = new byte[] {'c', (byte) 0xC3, 0x28};
        RawTraceFiles.write(dir.resolve(Table.EVENTS.file()), RawTraceFiles.schema(Table.EVENTS), rows);
        RawTraceFiles.write(dir.resolve(Table.DIRTY_RUNS.file()), RawTraceFiles.schema(Table.DIRTY_RUNS), List.of());
        RawTraceFiles.write(dir.resolve(Table.ITERATIONS.file()), RawTraceFiles.schema(Table.ITERATIONS), List.of());
        RawTraceFiles.finalManifest(dir, List.of(8L, 0L, 0L));

        try (RecordedTrace t = RecordedTrace.open(dir); TableCursor<RecordedEvent> events = t.eventsSharingValues()) {
            for (int i = 0; i < 3; i++) {
                events.next();
            }
            assertThatThrownBy(events::next).isInstanceOf(BadTraceException.class)
                    .hasMessageContaining("events.arrow").hasMessageContaining("row 3")
                    .hasMessageContaining("column object is not UTF-8");
        }
    }

    /**
     * Thousands of distinct texts, more than a column's table of shared texts has slots, so that
     * texts meet in a slot: texts that differ only in their last bytes, only in their first eight,
     * of every length up to past 4 KiB, some not ASCII, some empty, some null. Each row must still
     * read as the plain cursor reads it.
     */
    @Test
    void distinctTextsThatShareASlotAreNeverMistakenForEachOther() throws Exception {
        List<RecordedEvent> sample = SampleTrace.of(1).events();
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            Object[] row = RawTraceFiles.event(sample.get(0));
            row[EventColumn.SEQ.ordinal()] = (long) i;
            row[EventColumn.OBJECT.ordinal()] = switch (i % 6) {
                case 0 -> "/dev/vfio/" + i; // the same first eight bytes
                case 1 -> String.format("%08d/dev/vfio", i); // the same last bytes
                case 2 -> "é".repeat(i % 50) + i; // not ASCII
                case 3 -> "x".repeat(i % 4200) + (i % 97); // every length, past 4 KiB
                case 4 -> i % 5 == 0 ? "" : "/dev/iommu";
                default -> null;
            };
            rows.add(row);
        }
        RawTraceFiles.write(dir.resolve(Table.EVENTS.file()), RawTraceFiles.schema(Table.EVENTS), rows);
        RawTraceFiles.write(dir.resolve(Table.DIRTY_RUNS.file()), RawTraceFiles.schema(Table.DIRTY_RUNS), List.of());
        RawTraceFiles.write(dir.resolve(Table.ITERATIONS.file()), RawTraceFiles.schema(Table.ITERATIONS), List.of());
        RawTraceFiles.finalManifest(dir, List.of((long) rows.size(), 0L, 0L));

        try (RecordedTrace t = RecordedTrace.open(dir)) {
            List<String> shared = all(t.eventsSharingValues()).stream().map(RecordedEvent::object).toList();
            List<String> plain = all(t.events()).stream().map(RecordedEvent::object).toList();
            assertThat(shared).hasSize(6000).isEqualTo(plain);
            assertThat(shared.get(6)).isEqualTo("/dev/vfio/6");
            assertThat(shared.get(5)).isNull();
        }
    }

    /**
     * A text is first compared with the bytes of the text its column handed out last: runs of one
     * text, then texts of the same length that differ in one byte (first, middle, last), each read as
     * written, across batch boundaries too.
     */
    @Test
    void aTextLikeTheRowBeforeIsReadAsWritten() throws Exception {
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String base = "/dev/vfio/devices/vfio" + (i / 3 % 10); // runs of three, then the next
            objects.add(switch (i % 7) {
                case 0 -> "X" + base.substring(1);
                case 1 -> base.substring(0, 9) + "#" + base.substring(10);
                case 2 -> base.substring(0, base.length() - 1) + "Z";
                default -> base;
            });
        }
        try (TraceWriter w = TraceWriter.create(dir, SampleTrace.of(1).start(), new TraceWriter.Options(7))) {
            for (int i = 0; i < objects.size(); i++) {
                SampleTrace.syscall(i, 1000L * i, "openat", null, 3L, null, null, objects.get(i)).copyTo(w.event())
                        .commit();
            }
        }
        try (RecordedTrace t = RecordedTrace.open(dir)) {
            assertThat(all(t.eventsSharingValues()).stream().map(RecordedEvent::object).toList()).isEqualTo(objects);
        }
    }

    /**
     * The sharing cursor reads values in place: a column written with fewer values than its batch
     * has rows reads as the plain cursor reads it (nulls past the bytes its validity had), not past
     * its buffers.
     */
    @Test
    void aColumnShorterThanItsBatchReadsAsThePlainCursorReadsIt() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        for (RecordedEvent e : SampleTrace.of(40).events()) {
            rows.add(RawTraceFiles.event(e));
        }
        RawTraceFiles.write(dir.resolve(Table.EVENTS.file()), RawTraceFiles.schema(Table.EVENTS), rows, root -> {
            root.getVector(EventColumn.OBJECT.column()).setValueCount(3);
            root.getVector(EventColumn.FD.column()).setValueCount(3);
        });
        RawTraceFiles.write(dir.resolve(Table.DIRTY_RUNS.file()), RawTraceFiles.schema(Table.DIRTY_RUNS), List.of());
        RawTraceFiles.write(dir.resolve(Table.ITERATIONS.file()), RawTraceFiles.schema(Table.ITERATIONS), List.of());
        RawTraceFiles.finalManifest(dir, List.of((long) rows.size(), 0L, 0L));

        try (RecordedTrace t = RecordedTrace.open(dir)) {
            List<RecordedEvent> shared = all(t.eventsSharingValues());
            assertThat(shared).isEqualTo(all(t.events()));
            assertThat(shared.subList(8, shared.size())).allSatisfy(e -> {
                assertThat(e.object()).isNull();
                assertThat(e.fd()).isNull();
            });
        }
    }

    private static <T> List<T> all(TableCursor<T> cursor) throws Exception {
        List<T> out = new ArrayList<>();
        try (cursor) {
            while (cursor.hasNext()) {
                out.add(cursor.next());
            }
        }
        return out;
    }
}
