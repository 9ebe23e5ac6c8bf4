package org.migtrace.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {

    @TempDir
    Path tmp;

    @Test
    void anAbandonedWriterLeavesEveryFlushedRowAndSaysTheCaptureDidNotFinish() throws Exception {
        SampleTrace sample = SampleTrace.of(530);
        Path dir = tmp.resolve("t");
        TraceWriter w = TraceWriter.create(dir, sample.start(), new TraceWriter.Options(64));
        SampleTrace first = new SampleTrace(sample.start(), sample.events().subList(0, 500),
                runsUpTo(sample, 499), iterationsUpTo(sample, 499), 0);
        first.appendTo(w);
        w.flush();
        for (int i = 500; i < 530; i++) {
            sample.events().get(i).copyTo(w.event()).commit();
        }
        // no close: the process "dies" here

        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isFalse();
            assertThat(trace.eventCount()).isEqualTo(500);
            assertThat(RecordedTrace.readAllEvents(dir)).containsExactlyElementsOf(first.events());
            assertThat(TraceWriterReadBackTest.all(trace.dirtyRuns())).containsExactlyElementsOf(first.dirtyRuns());
            assertThat(TraceWriterReadBackTest.all(trace.iterations())).containsExactlyElementsOf(first.iterations());
            TableStatus events = trace.table(Table.EVENTS);
            assertThat(events.finished()).isFalse();
            assertThat(events.recovery()).contains("no footer").contains("500 rows");
        }
    }

    @Test
    void killMinus9AfterAFlushLosesNothingFlushed() throws Exception {
        Path dir = tmp.resolve("killed");
        Process p = recorder(dir, "1000", "64", "flush-then-wait");
        try {
            assertThat(firstLine(p)).isEqualTo("flushed 1000");
        } finally {
            kill(p);
        }
        SampleTrace sample = SampleTrace.of(1000);
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isFalse();
            assertThat(RecordedTrace.readAllEvents(dir)).containsExactlyElementsOf(sample.events());
            assertThat(TraceWriterReadBackTest.all(trace.dirtyRuns())).containsExactlyElementsOf(sample.dirtyRuns());
            assertThat(trace.manifest().lostEvents()).as("flush rewrote the manifest's lost count")
                    .isEqualTo(sample.lost());
        }
    }

    @Test
    void killMinus9WhileWritingLeavesAnIntactPrefix() throws Exception {
        Path dir = tmp.resolve("killed");
        Process p = recorder(dir, "1", "16", "write-forever");
        try {
            assertThat(firstLine(p)).isEqualTo("started");
            Path events = dir.resolve(Table.EVENTS.file());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Files.size(events) < 200_000 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        } finally {
            kill(p);
        }
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isFalse();
            assertThat(trace.eventCount()).isPositive();
            long n = 0;
            while (trace.hasMoreEvents()) {
                RecordedEvent e = trace.readEvent();
                assertThat(e.seq()).isEqualTo(n);
                assertThat(e.count()).isEqualTo(n);
                n++;
            }
            VerificationReport report = TraceVerifier.verify(dir);
            assertThat(report.problems()).isEmpty();
            assertThat(report.intactEvents()).isEqualTo(n);
        }
    }

    @Test
    void aFinishedTraceTruncatedAnywhereIsOneClearErrorNamingFileAndOffset() throws Exception {
        Path dir = tmp.resolve("t");
        SampleTrace.of(300).write(dir, 16);
        for (Table table : Table.values()) {
            long size = Files.size(dir.resolve(table.file()));
            Path copy = TraceDirs.copy(dir, tmp.resolve(table.tableName()));
            for (int percent = 99; percent >= 0; percent--) {
                TraceDirs.truncate(copy.resolve(table.file()), size * percent / 100);
                assertThatThrownBy(() -> readEverything(copy)).isInstanceOf(BadTraceException.class)
                        .hasMessageStartingWith(copy.resolve(table.file()) + ": offset ")
                        .hasMessageContaining("truncated");
            }
        }
    }

    @Test
    void anUnfinishedTraceTruncatedAnywhereYieldsACleanPrefix() throws Exception {
        SampleTrace sample = SampleTrace.of(300);
        Path dir = tmp.resolve("t");
        sample.write(dir, 16);
        TraceDirs.markUnfinished(dir);
        for (Table table : Table.values()) {
            long size = Files.size(dir.resolve(table.file()));
            Path copy = TraceDirs.copy(dir, tmp.resolve(table.tableName()));
            long previous = Long.MAX_VALUE;
            for (int percent = 100; percent >= 0; percent--) {
                TraceDirs.truncate(copy.resolve(table.file()), size * percent / 100);
                List<?> rows = readEverything(copy).get(table.ordinal());
                List<?> expected = switch (table) {
                    case EVENTS -> sample.events();
                    case DIRTY_RUNS -> sample.dirtyRuns();
                    case ITERATIONS -> sample.iterations();
                };
                assertThat(rows).isEqualTo(expected.subList(0, rows.size()));
                if (percent == 100) {
                    assertThat(rows).hasSameSizeAs(expected);
                }
                assertThat((long) rows.size()).as("less file, fewer rows").isLessThanOrEqualTo(previous);
                previous = rows.size();
            }
            assertThat(previous).isZero();
        }
    }

    @Test
    void aFlippedByteIsAClearErrorOrReadsWithoutAnythingButBadTraceException() throws Exception {
        Path dir = tmp.resolve("t");
        SampleTrace.of(40).write(dir, 16);
        for (Table table : Table.values()) {
            Path file = dir.resolve(table.file());
            long size = Files.size(file);
            for (long offset = 0; offset < size; offset += 5) {
                TraceDirs.flipByte(file, offset);
                try {
                    readEverything(dir);
                } catch (BadTraceException e) {
                    assertThat(e.getMessage()).startsWith(file + ":");
                } catch (Exception | AssertionError e) {
                    fail("flipping byte " + offset + " of " + table.file() + " gave " + e, e);
                } finally {
                    TraceDirs.flipByte(file, offset);
                }
            }
        }
    }

    static List<List<?>> readEverything(Path dir) throws Exception {
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            List<List<?>> out = new ArrayList<>();
            out.add(TraceWriterReadBackTest.all(trace.events()));
            out.add(TraceWriterReadBackTest.all(trace.dirtyRuns()));
            out.add(TraceWriterReadBackTest.all(trace.iterations()));
            return out;
        }
    }

    static List<RecordedDirtyRun> runsUpTo(SampleTrace s, long seq) {
        return s.dirtyRuns().stream().filter(r -> r.eventSeq() <= seq).toList();
    }

    static List<IterationRow> iterationsUpTo(SampleTrace s, long seq) {
        return s.iterations().stream().filter(r -> r.seq() <= seq).toList();
    }

    private static Process recorder(Path dir, String events, String batchRows, String mode) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--sun-misc") || arg.startsWith("--enable-native")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path") + File.pathSeparator + System.getProperty("surefire.test.class.path", ""));
        cmd.add(CrashingRecorder.class.getName());
        cmd.add(dir.toString());
        cmd.add(events);
        cmd.add(batchRows);
        cmd.add(mode);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static String firstLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        return out.readLine();
    }

    /** SIGKILL: {@code destroyForcibly} on Unix; the process gets no chance to close anything. */
    private static void kill(Process p) throws Exception {
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
}
