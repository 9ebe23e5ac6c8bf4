package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one rule that turns a dirty bitmap into dirty_runs rows. */
class DirtyRowsTest {

    @TempDir
    Path tmp;

    /** Records what a producer appends, as read back. */
    private static final class Rows implements TraceSink {
        final List<RecordedDirtyRun> rows = new ArrayList<>();

        @Override
        public EventRow event() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount) {
            rows.add(new RecordedDirtyRun(eventSeq, source.label(), pageSize, firstPage, pageCount));
        }

        @Override
        public void dirtyWord(long eventSeq, DirtySource source, long pageSize, long firstPage, long bits) {
            rows.add(new RecordedDirtyRun(eventSeq, source.label(), pageSize, firstPage, Long.bitCount(bits), bits));
        }

        @Override
        public void iteration(IterationRow row) {
        }

        @Override
        public void addLostEvents(long count) {
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static List<RecordedDirtyRun> rows(long firstPage, long... words) {
        Rows sink = new Rows();
        DirtyRows d = new DirtyRows(sink);
        d.begin(7, DirtySource.BITMAP, 4096);
        for (int i = 0; i < words.length; i++) {
            d.word(firstPage + 64L * i, words[i]);
        }
        d.end();
        return sink.rows;
    }

    private static RecordedDirtyRun run(long first, long count) {
        return new RecordedDirtyRun(7, "bitmap", 4096, first, count);
    }

    @Test
    void contiguousBitsAreRunsMergedAcrossWordsWhateverTheirLength() {
        assertThat(rows(1000, -1L, -1L, -1L)).containsExactly(run(1000, 192));
        // bits 60..63 of the first word, all of the second, bits 0..3 of the third: one run
        assertThat(rows(0, 0xF000_0000_0000_0000L, -1L, 0xFL)).containsExactly(run(60, 72));
        assertThat(rows(0, 0x10L, 0, 0x1L)).containsExactly(run(4, 1), run(128, 1));
        assertThat(rows(0, 0x8000_0000_0000_0000L, 0x1L)).containsExactly(run(63, 2));
    }

    @Test
    void aWordWithTwoOrMoreRunsIsOneWordRowThatClosesTheRunBeforeIt() {
        assertThat(rows(0, -1L, 0x5L, -1L)).containsExactly(run(0, 64),
                new RecordedDirtyRun(7, "bitmap", 4096, 64, 2, 0x5L), run(128, 64));
        long bits = 0x8000_0000_0000_0001L; // two runs of one page, at both ends
        assertThat(rows(64, -1L, bits)).containsExactly(run(64, 64), new RecordedDirtyRun(7, "bitmap", 4096, 128, 2, bits));
    }

    @Test
    void theRowsHoldExactlyTheBitmapsPagesAndAreNeverMoreThanRunsWouldBe() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            long[] words = new long[1 + rnd.nextInt(20)];
            for (int i = 0; i < words.length; i++) {
                words[i] = switch (rnd.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> -1L;
                    case 2 -> rnd.nextLong() & rnd.nextLong() & rnd.nextLong();
                    case 3 -> (-1L << rnd.nextInt(64)) >>> rnd.nextInt(64);
                    default -> rnd.nextLong();
                };
            }
            BitSet expected = BitSet.valueOf(words);
            BitSet got = new BitSet();
            List<RecordedDirtyRun> rows = rows(0, words);
            for (RecordedDirtyRun r : rows) {
                if (r.isWord()) {
                    assertThat(DirtyRows.runsIn(r.bits())).isGreaterThanOrEqualTo(2);
                    BitSet b = BitSet.valueOf(new long[] {r.bits()});
                    b.stream().forEach(i -> got.set((int) r.firstPage() + i));
                } else {
                    got.set((int) r.firstPage(), (int) (r.firstPage() + r.pageCount()));
                }
            }
            assertThat(got).isEqualTo(expected);
            assertThat(rows.stream().mapToLong(RecordedDirtyRun::pageCount).sum()).isEqualTo(expected.cardinality());
            int runs = 0;
            for (int i = expected.nextSetBit(0); i >= 0; i = expected.nextSetBit(expected.nextClearBit(i))) {
                runs++;
            }
            assertThat(rows).hasSizeLessThanOrEqualTo(runs);
        }
    }

    @Test
    void theWriterRefusesAWordThatShouldBeARun() throws Exception {
        try (TraceWriter w = TraceWriter.create(tmp.resolve("t"), SampleTrace.startManifest(), new TraceWriter.Options(16))) {
            long seq = w.event().set(EventColumn.TS_NS, 1L).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                    .set(EventColumn.OP, "ioctl").commit();
            assertThatThrownBy(() -> w.dirtyWord(seq, DirtySource.BITMAP, 4096, 0, 0xF0L))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer are a run");
            w.dirtyWord(seq, DirtySource.BITMAP, 4096, 0, 0xF0F0L);
        }
        try (RecordedTrace t = RecordedTrace.open(tmp.resolve("t"))) {
            assertThat(TraceWriterReadBackTest.all(t.dirtyRuns()))
                    .containsExactly(new RecordedDirtyRun(0, "bitmap", 4096, 0, 8, 0xF0F0L));
        }
    }

    /** The writer behind the interface's row-by-row {@link TraceSink#dirtyRows}: what the writer's own must equal. */
    private record RowByRow(TraceWriter w) implements TraceSink {
        @Override
        public EventRow event() {
            return w.event();
        }

        @Override
        public void dirtyRun(long eventSeq, DirtySource source, long pageSize, long firstPage, long pageCount) {
            w.dirtyRun(eventSeq, source, pageSize, firstPage, pageCount);
        }

        @Override
        public void dirtyWord(long eventSeq, DirtySource source, long pageSize, long firstPage, long bits) {
            w.dirtyWord(eventSeq, source, pageSize, firstPage, bits);
        }

        @Override
        public void iteration(IterationRow row) {
            w.iteration(row);
        }

        @Override
        public void addLostEvents(long count) {
            w.addLostEvents(count);
        }

        @Override
        public void flush() throws java.io.IOException {
            w.flush();
        }

        @Override
        public void close() throws java.io.IOException {
            w.close();
        }
    }

    /** Events with random bitmaps (up to 3,000 words: many blocks, many 16-row batches), through {@code sink}. */
    private static void bitmaps(TraceSink sink) {
        SplittableRandom rnd = new SplittableRandom(3);
        DirtyRows d = new DirtyRows(sink);
        for (int e = 0; e < 40; e++) {
            long seq = sink.event().set(EventColumn.TS_NS, e).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                    .set(EventColumn.OP, "ioctl").commit();
            d.begin(seq, e % 2 == 0 ? DirtySource.BITMAP : DirtySource.DMA_WRITE, 4096L << (e % 3));
            int words = rnd.nextInt(3000);
            for (int i = 0; i < words; i++) {
                d.word(64L * i, switch (rnd.nextInt(4)) {
                    case 0 -> -1L;
                    case 1 -> rnd.nextLong();
                    case 2 -> 1L << rnd.nextInt(64);
                    default -> 0;
                });
            }
            d.end();
        }
    }

    @Test
    void rowsHandedOnInBlocksGiveTheSameFilesAsRowByRow() throws Exception {
        TraceWriter.Options small = new TraceWriter.Options(16);
        try (TraceWriter w = TraceWriter.create(tmp.resolve("blocks"), SampleTrace.startManifest(), small)) {
            bitmaps(w);
        }
        try (TraceSink w = new RowByRow(TraceWriter.create(tmp.resolve("rows"), SampleTrace.startManifest(), small))) {
            bitmaps(w);
        }
        for (String file : List.of("events.arrow", "dirty_runs.arrow")) {
            assertThat(java.nio.file.Files.readAllBytes(tmp.resolve("blocks").resolve(file))).as(file)
                    .isEqualTo(java.nio.file.Files.readAllBytes(tmp.resolve("rows").resolve(file)));
        }
        try (RecordedTrace t = RecordedTrace.open(tmp.resolve("blocks"))) {
            assertThat(t.manifest().table(Table.DIRTY_RUNS).orElseThrow().rows()).isGreaterThan(10_000);
        }
    }

    @Test
    void aBlockWithABadRowLeavesNoneOfItsRows() throws Exception {
        try (TraceWriter w = TraceWriter.create(tmp.resolve("t"), SampleTrace.startManifest(), new TraceWriter.Options(16))) {
            long seq = w.event().set(EventColumn.TS_NS, 1L).set(EventColumn.ACTOR, "vmm").set(EventColumn.KIND, "syscall")
                    .set(EventColumn.OP, "ioctl").commit();
            long[] first = {0, 64, 128};
            long[] bits = {0, 0xF0F0L, 0x5L};
            assertThatThrownBy(() -> w.dirtyRows(seq, DirtySource.BITMAP, 4096, first, new long[] {64, 8, 3}, bits, 3))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page_count 3");
            w.dirtyRows(seq, DirtySource.BITMAP, 4096, first, new long[] {64, 8, 2}, bits, 3);
        }
        try (RecordedTrace t = RecordedTrace.open(tmp.resolve("t"))) {
            assertThat(TraceWriterReadBackTest.all(t.dirtyRuns())).containsExactly(
                    new RecordedDirtyRun(0, "bitmap", 4096, 0, 64), new RecordedDirtyRun(0, "bitmap", 4096, 64, 8, 0xF0F0L),
                    new RecordedDirtyRun(0, "bitmap", 4096, 128, 2, 0x5L));
        }
    }
}
