package org.migtrace.recorder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.trace.RecordedEvent;
import org.migtrace.trace.RecordedTrace;
import org.migtrace.trace.Table;
import org.migtrace.trace.TraceVerifier;
import org.migtrace.trace.VerificationReport;

/**
 * A recording killed with SIGKILL at a random moment leaves a trace that opens, says the capture
 * did not finish, verifies, and yields a gap-free prefix of the run's events.
 */
class KilledRecordingTest {

    @TempDir
    Path tmp;

    @Test
    void aRecordingKilledMidRunLeavesAPrefixThatVerifiesAndReadsBack() throws Exception {
        // the moment is random on purpose; the seed is printed so a failure can be chased
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = tmp.resolve("trace");
        Process child = start("gpu-no-converge", dir);
        try {
            Path events = dir.resolve(Table.EVENTS.file());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // wait until a first batch of rows is on disk, then a little longer, at random
            while (!(Files.exists(events) && Files.size(events) > 64 * 1024) && System.nanoTime() < deadline
                    && child.isAlive()) {
                Thread.sleep(10);
            }
            assertThat(child.isAlive()).as("seed %d: the child ended before it could be killed", seed).isTrue();
            Thread.sleep(random.nextInt(400));
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        VerificationReport report = TraceVerifier.verify(dir);
        assertThat(report.ok()).as("seed %d: %s %s", seed, report.verdict(), report.problems()).isTrue();
        assertThat(report.captureComplete()).isFalse();
        assertThat(report.verdict()).startsWith("ok: capture did not finish");
        try (RecordedTrace trace = RecordedTrace.open(dir)) {
            assertThat(trace.captureComplete()).isFalse();
            long expected = 0;
            while (trace.hasMoreEvents()) {
                RecordedEvent e = trace.readEvent();
                assertThat(e.seq()).as("seed %d: no gap in the prefix", seed).isEqualTo(expected++);
            }
            assertThat(expected).isEqualTo(report.intactEvents()).isPositive();
        }
    }

    private static Process start(String scenario, Path dir) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--sun-misc") || arg.startsWith("--enable-native")) {
                cmd.add(arg);
            }
        }
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path") + File.pathSeparator
                + System.getProperty("surefire.test.class.path", ""));
        cmd.add(RecordingChild.class.getName());
        cmd.add(scenario);
        cmd.add(dir.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
