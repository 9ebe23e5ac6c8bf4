package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.VerificationReport.Problem;
import org.migtrace.trace.VerificationReport.ProblemKind;
import org.migtrace.trace.internal.ManifestIo;

class TraceVerifierTest {

    @TempDir
    Path tmp;

    private final SampleTrace sample = SampleTrace.of(200);

    private Path written() throws Exception {
        Path dir = tmp.resolve("t");
        sample.write(dir, 32);
        return dir;
    }

    private static Problem only(VerificationReport report, ProblemKind kind) {
        assertThat(report.problems()).extracting(Problem::kind).containsExactly(kind);
        return report.problems().get(0);
    }

    @Test
    void aGoodTraceVerifies() throws Exception {
        VerificationReport report = TraceVerifier.verify(written());
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.intactEvents()).isEqualTo(200);
        assertThat(report.verdict()).isEqualTo("ok: 200 events; checksums and references verified");
        assertThat(report.tables()).extracting(TableStatus::rows)
                .containsExactly(200L, (long) sample.dirtyRuns().size(), (long) sample.iterations().size());
    }

    @Test
    void aCaptureCutShortWithAnIntactPrefixIsOkAndSaysHowManyEventsAreIntact() throws Exception {
        Path dir = written();
        TraceDirs.markUnfinished(dir);
        TraceDirs.truncate(dir.resolve(Table.EVENTS.file()), Files.size(dir.resolve(Table.EVENTS.file())) / 2);
        VerificationReport report = TraceVerifier.verify(dir);
        assertThat(report.ok()).isTrue();
        assertThat(report.intactEvents()).isBetween(1L, 199L);
        assertThat(report.verdict()).isEqualTo("ok: capture did not finish; " + report.intactEvents() + " events intact");
        assertThat(report.notes().get(0)).isEqualTo("capture did not finish; " + report.intactEvents() + " events intact");
        assertThat(report.notes()).anySatisfy(n -> assertThat(n).startsWith("events.arrow: no footer"));
    }

    @Test
    void seqOutOfOrderIsNamedWithItsRow() throws Exception {
        List<RecordedEvent> events = new ArrayList<>(sample.events().subList(0, 3));
        events.add(SampleTrace.syscall(1, 5000, "read", null, 0L, null, 8L, null));
        RawTraceFiles.trace(tmp.resolve("t"), events, List.of(), List.of());
        Problem p = only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.SEQ_ORDER);
        assertThat(p.describe()).isEqualTo(tmp.resolve("t").resolve("events.arrow")
                + ": row 3 (seq 1): seq 1 after seq 2 (seq must increase strictly)");
    }

    @Test
    void timeGoingBackwardsIsNamed() throws Exception {
        List<RecordedEvent> events = new ArrayList<>(sample.events().subList(0, 3));
        events.add(SampleTrace.syscall(3, 1, "read", null, 0L, null, 8L, null));
        RawTraceFiles.trace(tmp.resolve("t"), events, List.of(), List.of());
        assertThat(only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.TS_ORDER).message())
                .isEqualTo("ts_ns 1 before the previous event's 2002 (ts_ns must not decrease)");
    }

    @Test
    void aDanglingDirtyRunIsNamed() throws Exception {
        List<RecordedDirtyRun> runs = List.of(new RecordedDirtyRun(3, "bitmap", 4096, 1, 1),
                new RecordedDirtyRun(4, "bitmap", 4096, 1, 1), new RecordedDirtyRun(99, "bitmap", 4096, 1, 1));
        RawTraceFiles.trace(tmp.resolve("t"), sample.events().subList(0, 8), runs, List.of());
        Problem p = only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.DANGLING_DIRTY_RUN);
        assertThat(p.message()).isEqualTo("event_seq 99 is not the seq of any event");
        assertThat(p.where()).isEqualTo("row 2");
        assertThat(p.occurrences()).isEqualTo(1);
    }

    @Test
    void aWordWhosePageCountIsNotItsSetBitsOrThatIsARunIsNamed() throws Exception {
        List<RecordedDirtyRun> runs = List.of(new RecordedDirtyRun(3, "bitmap", 4096, 64, 2, 0x5L),
                new RecordedDirtyRun(3, "bitmap", 4096, 128, 3, 0x5L), new RecordedDirtyRun(3, "bitmap", 4096, 192, 4, 0xFL));
        RawTraceFiles.trace(tmp.resolve("t"), sample.events().subList(0, 8), runs, List.of());
        Problem p = only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.VALUE);
        assertThat(p.message()).startsWith("bits 0x5, page_count 3 (a word has two or more runs of set bits");
        assertThat(p.where()).isEqualTo("row 1");
        assertThat(p.occurrences()).isEqualTo(2);
    }

    @Test
    void dirtyRunsOutOfEventOrderAreNamed() throws Exception {
        List<RecordedDirtyRun> runs = List.of(new RecordedDirtyRun(5, "cpu_write", 4096, 1, 1),
                new RecordedDirtyRun(3, "bitmap", 4096, 1, 1));
        RawTraceFiles.trace(tmp.resolve("t"), sample.events().subList(0, 8), runs, List.of());
        assertThat(only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.DIRTY_RUN_ORDER).message())
                .startsWith("event_seq 3 after 5");
    }

    @Test
    void anIterationsRowMustNameAnIterationEvent() throws Exception {
        IterationRow wrong = new IterationRow(1, 1000, null, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, "setup");
        RawTraceFiles.trace(tmp.resolve("t"), sample.events().subList(0, 8), List.of(), List.of(wrong));
        assertThat(only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.ITERATION_REFERENCE).message())
                .isEqualTo("seq 1 is an event of kind syscall, op VFIO_DEVICE_FEATURE (expected kind migration, op ITERATION)");
    }

    @Test
    void valuesOutsideTheirVocabularyAreNamed() throws Exception {
        List<RecordedEvent> events = new ArrayList<>(sample.events().subList(0, 2));
        RecordedEvent e = events.get(1);
        events.set(1, new RecordedEvent(e.seq(), e.tsNs(), e.host(), e.pid(), e.tid(), e.thread(), e.actor(), "syscal",
                e.op(), e.cmd(), e.fd(), e.fdKind(), e.object(), e.device(), e.feature(), e.featureOps(), e.flags(),
                e.argsz(), e.iova(), e.length(), e.pageSize(), e.vaddr(), e.requestedState(), e.fromState(), e.toState(),
                e.stateRaw(), e.dataFd(), e.count(), e.offset(), e.initialBytes(), e.dirtyBytes(), e.stopCopyLength(),
                e.ret(), e.errno(), e.errnoNum(), e.args()));
        RawTraceFiles.trace(tmp.resolve("t"), events, List.of(), List.of());
        assertThat(only(TraceVerifier.verify(tmp.resolve("t")), ProblemKind.VOCABULARY).message())
                .isEqualTo("kind 'syscal' is not one of syscall, state, write, migration, lost, tracepoint, diagnostic");
    }

    @Test
    void aChangedByteIsAChecksumMismatch() throws Exception {
        Path dir = written();
        Path events = dir.resolve(Table.EVENTS.file());
        byte[] bytes = Files.readAllBytes(events);
        int at = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("live_migration");
        bytes[at] = 'L';
        Files.write(events, bytes);
        VerificationReport report = TraceVerifier.verify(dir);
        Problem p = only(report, ProblemKind.CHECKSUM);
        assertThat(p.file()).isEqualTo(events.toString());
        assertThat(p.message()).startsWith("CRC-32C mismatch: the manifest says ");
        assertThat(report.verdict()).isEqualTo("1 problem; 200 events intact");
    }

    /** A trace of format 2.0 and before gives SHA-256s: they are checked as before. */
    @Test
    void aFormat20ManifestsSha256IsChecked() throws Exception {
        Path dir = written();
        Manifest m = ManifestIo.read(dir);
        List<Manifest.TableInfo> tables = new ArrayList<>();
        for (Manifest.TableInfo t : m.tables()) {
            tables.add(new Manifest.TableInfo(t.name(), t.file(), t.rows(), FileChecksum.SHA256.of(dir.resolve(t.file())), null));
        }
        ManifestIo.write(dir, m.finished(tables, m.lostEvents(), true, m.firstTsNs(), m.lastTsNs()));
        assertThat(TraceVerifier.verify(dir).problems()).isEmpty();

        Path events = dir.resolve(Table.EVENTS.file());
        byte[] bytes = Files.readAllBytes(events);
        bytes[new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("live_migration")] = 'L';
        Files.write(events, bytes);
        Problem p = only(TraceVerifier.verify(dir), ProblemKind.CHECKSUM);
        assertThat(p.message()).startsWith("SHA-256 mismatch: the manifest says " + tables.get(0).sha256() + ", the file has ");
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Path dir = written();
        Files.delete(dir.resolve(Table.DIRTY_RUNS.file()));
        Problem p = only(TraceVerifier.verify(dir), ProblemKind.MISSING_FILE);
        assertThat(p.describe()).isEqualTo(dir.resolve("dirty_runs.arrow")
                + ": missing: every trace has its dirty_runs table (dirty_runs.arrow), even when it has no rows");
    }

    @Test
    void aRowCountThatDiffersFromTheManifestIsNamed() throws Exception {
        Path dir = written();
        Manifest m = ManifestIo.read(dir);
        List<Manifest.TableInfo> tables = new ArrayList<>(m.tables());
        Manifest.TableInfo it = tables.get(2);
        tables.set(2, new Manifest.TableInfo(it.name(), it.file(), it.rows() + 1, it.sha256(), it.crc32c()));
        ManifestIo.write(dir, m.finished(tables, m.lostEvents(), true, m.firstTsNs(), m.lastTsNs()));
        assertThat(only(TraceVerifier.verify(dir), ProblemKind.ROW_COUNT).message())
                .isEqualTo("holds " + it.rows() + " rows, the manifest says " + (it.rows() + 1));
    }

    @Test
    void aFinishedFileCutShortIsTruncatedAndTheIntactEventsAreCounted() throws Exception {
        Path dir = written();
        Path events = dir.resolve(Table.EVENTS.file());
        TraceDirs.truncate(events, Files.size(events) - 100);
        VerificationReport report = TraceVerifier.verify(dir);
        Problem p = only(report, ProblemKind.TRUNCATED);
        assertThat(p.where()).startsWith("offset ");
        assertThat(p.message()).contains("the manifest says the writer finished it");
        assertThat(report.intactEvents()).isEqualTo(200);
    }

    @Test
    void aMissingNonNullColumnIsASchemaProblem() throws Exception {
        Path dir = written();
        Path runs = dir.resolve(Table.DIRTY_RUNS.file());
        Files.delete(runs);
        var fields = new ArrayList<>(RawTraceFiles.schema(Table.DIRTY_RUNS).getFields());
        fields.remove(4);
        RawTraceFiles.write(runs, new org.apache.arrow.vector.types.pojo.Schema(fields), List.of());
        assertThat(only(TraceVerifier.verify(dir), ProblemKind.SCHEMA).describe())
                .isEqualTo(runs + ": offset 8: schema: column page_count is missing (dirty_runs requires it)");
    }

    @Test
    void anUnsupportedVersionIsAManifestProblem() throws Exception {
        Path dir = written();
        String json = Files.readString(dir.resolve(TraceFormat.MANIFEST)).replace("\"" + TraceFormat.version() + "\"", "\"4.0\"");
        TraceDirs.writeManifestJson(dir, json);
        VerificationReport report = TraceVerifier.verify(dir);
        assertThat(only(report, ProblemKind.MANIFEST).message())
                .startsWith("format version 4.0 is not supported (supported: 1.x, 2.x, 3.x");
        assertThat(report.formatVersion()).isNull();
    }
}
