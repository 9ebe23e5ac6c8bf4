package org.migtrace.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.CliRun;
import org.migtrace.cli.Main;
import org.migtrace.recorder.Recording;
import org.migtrace.sim.scenario.ScenarioLoader;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.Table;
import org.migtrace.trace.TableCursor;

/**
 * {@code migtrace record} killed with SIGKILL at 20 moments of a recording: whatever the moment,
 * the directory left behind verifies ({@code migtrace verify} exits 0) and holds exactly the first
 * rows of the same recording run to its end, events and dirty runs alike. trace-model's
 * CrashRecoveryTest kills a writer of synthetic rows once; this kills the real command anywhere.
 *
 * <p>The moments are points of progress, not of time, so that a slow machine moves them as much as
 * the recording: the child is killed as soon as its {@code dirty_runs.arrow} (the file that grows
 * the most steadily) has reached a size drawn from a seeded random between 1 byte and the full
 * recording's size. The seed is printed with every failure.
 */
class RecordKilledAnywhereTest {

    /** nic-converges with a 4 GiB guest: 934 events, 84405 dirty runs (11 full batches), 4 flushes at syncs. */
    private static final String SCENARIO = "nic-converges-4g.yaml";
    private static final long RUN_SEED = 1;
    private static final long KILL_SEED = 20261121;
    private static final int KILLS = 20;

    @TempDir
    Path tmp;

    @Test
    void aRecordingKilledAnywhereLeavesATraceThatVerifiesAndHoldsAPrefixOfTheWholeRecording() throws Exception {
        Path scenario = tmp.resolve(SCENARIO);
        try (var in = RecordKilledAnywhereTest.class.getResourceAsStream(SCENARIO)) {
            Files.copy(in, scenario);
        }
        Path whole = tmp.resolve("whole");
        Recording.of(ScenarioLoader.load(scenario)).seed(RUN_SEED).to(whole);
        long wholeSize = Files.size(whole.resolve(Table.DIRTY_RUNS.file()));
        List<RecordedEvent> wholeEvents = RecordedTrace.readAllEvents(whole);

        SplittableRandom random = new SplittableRandom(KILL_SEED);
        int cutShort = 0;
        for (int k = 0; k < KILLS; k++) {
            long at = random.nextLong(1, wholeSize);
            String what = "kill " + k + " (seed " + KILL_SEED + ") once dirty_runs.arrow reached " + at + " bytes";
            Path dir = tmp.resolve("killed-" + k);
            killWhenGrown(scenario, dir, at);
            assertThat(CliRun.of("verify", dir.toString()).exit()).as(what + ": migtrace verify").isZero();
            try (RecordedTrace trace = RecordedTrace.open(dir)) {
                if (!trace.captureComplete()) {
                    cutShort++;
                }
            }
            List<RecordedEvent> events = RecordedTrace.readAllEvents(dir);
            assertThat(events).as(what + ": the events").isEqualTo(wholeEvents.subList(0, events.size()));
            assertPrefix(dir, whole, what);
        }
        assertThat(cutShort).as("kills that landed before the recording finished").isPositive();
    }

    /** Starts {@code migtrace record} into {@code dir} and kills it once its dirty_runs file has {@code bytes}. */
    private static void killWhenGrown(Path scenario, Path dir, long bytes) throws Exception {
        // C1 only and the serial collector: a short-lived child starts in half the CPU time
        Process p = ChildJvm.start(Main.class, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), "record",
                "--scenario", scenario.toString(),
                "--seed", Long.toString(RUN_SEED), "-o", dir.toString());
        Path file = dir.resolve(Table.DIRTY_RUNS.file());
        try {
            while (p.isAlive() && size(file) < bytes) {
                Thread.sleep(1);
            }
        } finally {
            ChildJvm.kill(p);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // not created yet
        }
    }

    /** The killed trace's dirty runs are the whole recording's first ones. */
    private static void assertPrefix(Path killed, Path whole, String what) throws BadTraceException, IOException {
        try (RecordedTrace part = RecordedTrace.open(killed); RecordedTrace all = RecordedTrace.open(whole);
             TableCursor<?> got = part.dirtyRuns(); TableCursor<?> expected = all.dirtyRuns()) {
            long row = 0;
            while (got.hasNext()) {
                assertThat(expected.hasNext()).as(what + ": dirty run " + row + " exists in the whole recording").isTrue();
                assertThat(got.next()).as(what + ": dirty run " + row).isEqualTo(expected.next());
                row++;
            }
        }
    }
}
