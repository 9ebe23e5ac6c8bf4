package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceWriterReadBackTest {

    @TempDir
    Path tmp;

    static <T> List<T> all(TableCursor<T> cursor) throws Exception {
        List<T> out = new ArrayList<>();
        while (cursor.hasNext()) {
            out.add(cursor.next());
        }
        return out;
    }

    @Test
    void everyTableReadsBackAsWrittenAcrossManyBatches() throws Exception {
        SampleTrace sample = SampleTrace.of(1000);
        Path dir = tmp.resolve("t");
        sample.write(dir, 7);

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isTrue();
            assertThat(trace.eventCount()).isEqualTo(1000);
            List<RecordedEvent> events = new ArrayList<>();
            while (trace.hasMoreEvents()) {
                events.add(trace.readEvent());
            }
            assertThat(events).containsExactlyElementsOf(sample.events());
            assertThat(all(trace.dirtyRuns())).containsExactlyElementsOf(sample.dirtyRuns());
            assertThat(all(trace.iterations())).containsExactlyElementsOf(sample.iterations());
            assertThat(trace.table(Table.EVENTS).batches()).isGreaterThan(100);
            assertThat(trace.tables()).allSatisfy(t -> assertThat(t.finished()).isTrue());
        }
    }

    @Test
    void aBatchFilledIntoARootUsedBeforeKeepsNoValueOfTheEarlierBatch() throws Exception {
        // Each table fills two roots in turn. The iterations' host (set directly in the vector, null
        // by leaving it unset) is "src" for the first half and null after, and the events' and dirty
        // runs' columns (staged, rewritten whole) change shape along the trace: every value and null
        // must read back as written, never as what the root held two batches before.
        SampleTrace base = SampleTrace.of(1000);
        List<IterationRow> its = base.iterations();
        List<IterationRow> halfHosted = new ArrayList<>();
        for (int i = 0; i < its.size(); i++) {
            IterationRow r = its.get(i);
            halfHosted.add(new IterationRow(r.seq(), r.tsNs(), i < its.size() / 2 ? "src" : null, r.iteration(),
                    r.timeNs(), r.durationNs(), r.dirtyPagesCpu(), r.dirtyPagesDevice(), r.newDirtyPages(), r.bytesSent(),
                    r.deviceBytesSent(), r.bandwidth(), r.pendingBytes(), r.devicePendingBytes(), r.thresholdBytes(),
                    r.decision()));
        }
        SampleTrace sample = new SampleTrace(base.start(), base.events(), base.dirtyRuns(), halfHosted, base.lost());
        Path dir = tmp.resolve("t");
        sample.write(dir, 5);

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(all(trace.iterations())).containsExactlyElementsOf(halfHosted);
            assertThat(all(trace.dirtyRuns())).containsExactlyElementsOf(sample.dirtyRuns());
        }
        assertThat(RecordedTrace.readAllEvents(dir)).containsExactlyElementsOf(sample.events());
    }

    @Test
    void underANullTheFileHoldsZerosWhateverTheRootHeldBefore() throws Exception {
        // The file's bytes depend on the rows alone: a null's value (or text) is no leftover of an
        // earlier batch filled into the same root. Columns come and go along the sample, and batches
        // of 5 rows reuse each root many times, some with a column set in no row at all.
        Path dir = tmp.resolve("t");
        SampleTrace.of(1000).write(dir, 5);
        int nullValues = 0;
        try (org.apache.arrow.memory.BufferAllocator allocator = new org.apache.arrow.memory.RootAllocator();
             java.nio.channels.SeekableByteChannel in = Files.newByteChannel(dir.resolve("events.arrow"));
             org.apache.arrow.vector.ipc.ArrowFileReader reader = new org.apache.arrow.vector.ipc.ArrowFileReader(in, allocator)) {
            while (reader.loadNextBatch()) {
                for (org.apache.arrow.vector.FieldVector v : reader.getVectorSchemaRoot().getFieldVectors()) {
                    for (int i = 0; i < v.getValueCount(); i++) {
                        if (!v.isNull(i)) {
                            continue;
                        }
                        nullValues++;
                        if (v instanceof org.apache.arrow.vector.VarCharVector t) {
                            assertThat(t.getEndOffset(i) - t.getStartOffset(i)).as(v.getName() + " row " + i).isZero();
                        } else {
                            int width = ((org.apache.arrow.vector.BaseFixedWidthVector) v).getTypeWidth();
                            for (int b = 0; b < width; b++) {
                                assertThat(v.getDataBuffer().getByte((long) i * width + b)).as(v.getName() + " row " + i).isZero();
                            }
                        }
                    }
                }
            }
        }
        assertThat(nullValues).isGreaterThan(1000);
    }

    @Test
    void nullsAndU64BitPatternsArePreserved() throws Exception {
        SampleTrace sample = SampleTrace.of(16);
        Path dir = tmp.resolve("t");
        sample.write(dir, 8192);

        List<RecordedEvent> events = RecordedTrace.readAllEvents(dir);
        RecordedEvent bitmap = events.get(3);
        assertThat(Long.toUnsignedString(bitmap.iova(), 16)).isEqualTo("fffffffffffff000");
        assertThat(bitmap.pid()).isEqualTo(4242);
        assertThat(bitmap.device()).isNull();
        assertThat(bitmap.errnoNum()).isNull();
        RecordedEvent state = events.get(4);
        assertThat(state.pid()).isNull();
        assertThat(state.thread()).isNull();
        assertThat(state.toMigState()).hasValueSatisfying(s -> assertThat(s.value()).isEqualTo(6));
        try (RecordedTrace trace = RecordedTrace.open(dir); TableCursor<RecordedDirtyRun> runs = trace.dirtyRuns()) {
            RecordedDirtyRun high = runs.next();
            assertThat(high.firstAddress()).isEqualTo(SampleTrace.HIGH_IOVA - 4096);
        }
    }

    @Test
    void anEmptyTraceHasEmptyTablesAndNoTimeSpan() throws Exception {
        Path dir = tmp.resolve("empty");
        TraceWriter.create(dir, SampleTrace.startManifest()).close();

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.hasMoreEvents()).isFalse();
            assertThat(trace.dirtyRuns().hasNext()).isFalse();
            assertThat(trace.iterations().hasNext()).isFalse();
            assertThat(trace.manifest().complete()).isTrue();
            assertThat(trace.manifest().firstTsNs()).isNull();
            assertThat(trace.manifest().tables()).extracting(Manifest.TableInfo::rows).containsOnly(0L);
        }
    }

    @Test
    void theFinalManifestHasRowCountsChecksumsLostEventsAndTimeSpan() throws Exception {
        SampleTrace sample = SampleTrace.of(100);
        Path dir = tmp.resolve("t");
        sample.write(dir, 16);

        Manifest m = RecordedTrace.open(dir).manifest();
        assertThat(m.format()).isEqualTo(Manifest.Format.current());
        assertThat(m.complete()).isTrue();
        assertThat(m.lostEvents()).isEqualTo(sample.lost()).isPositive();
        assertThat(m.firstTsNs()).isEqualTo(sample.events().get(0).tsNs());
        assertThat(m.lastTsNs()).isEqualTo(sample.events().get(99).tsNs());
        assertThat(m.tables()).extracting(Manifest.TableInfo::name, Manifest.TableInfo::file, Manifest.TableInfo::rows)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("events", "events.arrow", 100L),
                        org.assertj.core.groups.Tuple.tuple("dirty_runs", "dirty_runs.arrow", (long) sample.dirtyRuns().size()),
                        org.assertj.core.groups.Tuple.tuple("iterations", "iterations.arrow", (long) sample.iterations().size()));
        assertThat(m.tables()).allSatisfy(t -> {
            assertThat(t.crc32c()).matches("[0-9a-f]{8}").isEqualTo(FileChecksum.CRC32C.of(dir.resolve(t.file())));
            assertThat(t.sha256()).isNull(); // format 2.0's checksum, no longer written
        });
        assertThat(m.devices()).isEqualTo(sample.start().devices());
        assertThat(m.scenario()).isEqualTo(sample.start().scenario());
    }

    @Test
    void seqIsAssignedWhenNotSetAndMustIncreaseWhenSet() throws Exception {
        try (TraceWriter w = TraceWriter.create(tmp.resolve("t"), SampleTrace.startManifest())) {
            assertThat(row(w.event(), 10).commit()).isZero();
            assertThat(row(w.event(), 10).commit()).isEqualTo(1);
            assertThat(row(w.event(), 11).set(EventColumn.SEQ, 40).commit()).isEqualTo(40);
            assertThat(row(w.event(), 12).commit()).isEqualTo(41);
            assertThatThrownBy(() -> row(w.event(), 12).set(EventColumn.SEQ, 41).commit())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("seq 41 does not follow");
            assertThat(row(w.event(), 12).commit()).as("a refused row leaves nothing behind").isEqualTo(42);
        }
        assertThat(RecordedTrace.readAllEvents(tmp.resolve("t"))).extracting(RecordedEvent::seq)
                .containsExactly(0L, 1L, 40L, 41L, 42L);
    }

    @Test
    void theContractIsEnforcedBeforeARowIsWritten() throws Exception {
        try (TraceWriter w = TraceWriter.create(tmp.resolve("t"), SampleTrace.startManifest())) {
            row(w.event(), 100).commit();
            assertThatThrownBy(() -> row(w.event(), 99).commit()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ts_ns 99").hasMessageContaining("never decreases");
            assertThatThrownBy(() -> w.event().set(EventColumn.TS_NS, 100).set(EventColumn.OP, "read").commit())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("actor, kind");
            assertThatThrownBy(() -> w.event().set(EventColumn.OP, 5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.event().set(EventColumn.PID, 1L << 40))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("int32");
            assertThatThrownBy(() -> w.dirtyRun(7, DirtySource.BITMAP, 4096, 0, 1))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("event_seq 7");
            assertThatThrownBy(() -> w.dirtyRun(0, DirtySource.BITMAP, 4096, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page_count 0");
            assertThatThrownBy(() -> w.iteration(iterationRow(0)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("op ITERATION");
            w.event().set(EventColumn.TS_NS, 200).set(EventColumn.ACTOR, "migration").set(EventColumn.KIND, "migration")
                    .set(EventColumn.OP, "ITERATION").commit();
            w.iteration(iterationRow(1));
            assertThatThrownBy(() -> w.iteration(iterationRow(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("seq order");
        }
        assertThat(RecordedTrace.readAllEvents(tmp.resolve("t"))).hasSize(2);
    }

    @Test
    void aNonEmptyDirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> TraceWriter.create(dir, SampleTrace.startManifest()))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("not empty");
        assertThat(dir.resolve("notes.txt")).hasContent("mine");
    }

    @Test
    void discardRemovesWhatTheWriterCreated() throws IOException {
        Path dir = tmp.resolve("gone");
        TraceWriter w = TraceWriter.create(dir, SampleTrace.startManifest());
        row(w.event(), 1).commit();
        w.discard();
        assertThat(dir).doesNotExist();
    }

    static EventRow row(EventRow row, long ts) {
        return row.set(EventColumn.TS_NS, ts).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                .set(EventColumn.OP, "read");
    }

    static IterationRow iterationRow(long seq) {
        return new IterationRow(seq, 200, "src", 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, "setup");
    }
}
