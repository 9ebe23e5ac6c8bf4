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
