package org.migtrace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.migtrace.cli.output.WorkMeter;
import org.migtrace.trace.WorkProgress;

/**
 * Commands run through {@link Main} as on a terminal, with a clock that moves a second per reading and
 * the line redrawn at every report (in place of the 250 ms timer): what the bar shows is what the
 * command reported, deterministically.
 */
class ProgressBarTest {

    private static final Path SAMPLES = Path.of("").toAbsolutePath().getParent().resolve("sample-traces");
    private static final Pattern PERCENT = Pattern.compile("\\] (\\d+)%");

    @TempDir
    Path dir;

    /** Redraws on every report; the timer never fires. */
    private static final Progress.Ticker ON_EVERY_REPORT = new Progress.Ticker() {
        @Override
        public Runnable start(Runnable tick) {
            return () -> { };
        }

        @Override
        public WorkProgress hook(WorkMeter meter, Runnable tick) {
            return (units, total) -> {
                meter.done(units, total);
                tick.run();
            };
        }
    };

    private static CliRun onTerminal(String... args) {
        return run(true, new StringWriter(), new StringWriter(), args);
    }

    /** {@code args} run with the bar's clock and redraws as on a terminal, or off one; stdout and stderr into the writers. */
    private static CliRun run(boolean terminal, StringWriter out, StringWriter err, String... args) {
        AtomicLong now = new AtomicLong();
        Progress progress = new Progress(terminal, () -> now.addAndGet(TimeUnit.SECONDS.toNanos(1)), ON_EVERY_REPORT);
        PrintWriter o = new PrintWriter(out);
        PrintWriter e = new PrintWriter(err);
        int exit = Main.commandLine(o, e, progress).execute(args);
        o.flush();
        e.flush();
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The percentages the bar showed, in order. */
    private static List<Integer> percents(String err) {
        Matcher m = PERCENT.matcher(err);
        return m.results().map(r -> Integer.parseInt(r.group(1))).toList();
    }

    @Test
    void importingALogShowsTheShareOfTheFileReadUpTo100Percent() throws Exception {
        // about 400 KiB: several 64 KiB buffers, so the bar moves before it is full
        Path log = dir.resolve("big.log");
        Files.writeString(log, Files.readString(SAMPLES.resolve("sources/qemu-10.1-precopy.log")).repeat(64));
        CliRun run = onTerminal("import", "qemu-log", log.toString(), "-o", dir.resolve("t").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        List<Integer> seen = percents(run.err());
        assertThat(seen).hasSizeGreaterThan(2).isSorted().endsWith(100);
        assertThat(seen.get(0)).isLessThan(100);
        assertThat(run.err()).contains("migtrace import qemu-log: [####################] 100%  ");
        assertThat(run.out()).doesNotContain("\r").startsWith("imported ");
    }

    @Test
    void importingJsonLinesReachesTheEndOfTheFile() {
        Path jsonl = dir.resolve("gpu.jsonl");
        assertThat(CliRun.of("export", "jsonl", SAMPLES.resolve("gpu-no-converge").toString(), "-o", jsonl.toString())
                .exit()).isZero();
        CliRun run = onTerminal("import", "jsonl", jsonl.toString(), "-o", dir.resolve("j").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(percents(run.err())).hasSizeGreaterThan(1).isSorted().endsWith(100);
    }

    @Test
    void replayShowsTheEventRowsFedOfTheTrace() {
        CliRun run = onTerminal("replay", SAMPLES.resolve("gpu-no-converge").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        // 2022 event rows, a report every 1024 and at the end
        assertThat(percents(run.err())).containsExactly(50, 100);
        assertThat(run.out()).doesNotContain("\r");
    }

    @Test
    void theLineIsErasedBeforeTheCommandPrints() {
        StringWriter screen = new StringWriter(); // stdout and stderr on one terminal, in the order written
        CliRun run = run(true, screen, screen, "replay", SAMPLES.resolve("nic-converges").toString());
        String all = screen.toString();
        int output = all.indexOf("replay of ");
        assertThat(all).as(all).contains("%  ");
        assertThat(output).isPositive();
        String before = all.substring(0, output);
        // the last thing before the command's first output is the erase: blanks between two carriage returns
        assertThat(before).endsWith("\r");
        assertThat(before.substring(before.lastIndexOf('\r', before.length() - 2))).isBlank();
        assertThat(all.substring(output)).doesNotContain("\r").doesNotContain("%  ");
        assertThat(run.exit()).isZero();
    }

    @Test
    void aSimulatedRecordingCountsIterationsOfTheScenarioLimitAndEndsFull() {
        CliRun run = onTerminal("record", "--scenario", "nic-converges", "-o", dir.resolve("r").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(percents(run.err())).isNotEmpty().isSorted().endsWith(100);
    }

    @Test
    void withoutATerminalNothingIsDrawn() {
        // the same clock and redraw on every report that draw the bar on a terminal
        CliRun run = run(false, new StringWriter(), new StringWriter(), "replay", SAMPLES.resolve("gpu-no-converge").toString());
        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).doesNotContain("\r");
    }
}
