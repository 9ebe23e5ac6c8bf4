package org.migtrace.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line, driven by a hand-moved clock. */
class ProgressLineTest {

    private final StringWriter screen = new StringWriter();
    private final PrintWriter err = new PrintWriter(screen);
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private final AtomicLong written = new AtomicLong();

    private final WorkMeter meter = new WorkMeter();

    private ProgressLine line(boolean counting) {
        return new ProgressLine(err, "migtrace record", new WorkMeter(), counting ? written::get : null, now::get);
    }

    private ProgressLine bar(String label) {
        return new ProgressLine(err, label, meter, written::get, now::get);
    }

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void aQuickCommandShowsNothing() {
        ProgressLine p = line(true);
        now.addAndGet(ProgressLine.DELAY_NS - 1);
        p.tick();
        p.stop();
        assertThat(screen.toString()).isEmpty();
    }

    @Test
    void aLongCommandShowsElapsedTimeAndBytesWrittenInPlace() {
        ProgressLine p = line(true);
        advanceSeconds(2);
        written.set(3 * 1024 * 1024 / 2);
        p.tick();
        assertThat(screen.toString()).isEqualTo("\rmigtrace record: | 2 s, 1.5 MiB written");
        advanceSeconds(10);
        written.set(20L * 1024 * 1024);
        p.tick();
        assertThat(screen.toString()).endsWith("\rmigtrace record: / 12 s, 20.0 MiB written").doesNotContain("\n");
    }

    @Test
    void aShorterLineBlanksWhatTheLongerOneLeft() {
        ProgressLine p = line(true);
        advanceSeconds(2);
        written.set(1L << 40);
        p.tick();
        int before = screen.toString().length();
        written.set(0);
        p.tick();
        String second = screen.toString().substring(before);
        assertThat(second).hasSize(before).startsWith("\rmigtrace record: / 2 s, 0 B written").endsWith(" ");
    }

    @Test
    void withoutAnOutputFileItShowsTheTimeOnly() {
        ProgressLine p = line(false);
        advanceSeconds(3);
        p.tick();
        assertThat(screen.toString()).isEqualTo("\rmigtrace record: | 3 s");
    }

    @Test
    void stopErasesTheLineAndLaterTicksDrawNothing() {
        ProgressLine p = line(false);
        advanceSeconds(3);
        p.tick();
        int drawn = "migtrace record: | 3 s".length();
        p.stop();
        advanceSeconds(3);
        p.tick();
        p.stop();
        assertThat(screen.toString()).endsWith("\r" + " ".repeat(drawn) + "\r");
        assertThat(screen.toString()).doesNotContain("6 s");
    }

    @Test
    void theCommandsFirstOutputErasesTheLineBeforeItAppears() {
        ProgressLine p = line(false);
        advanceSeconds(3);
        p.tick();
        PrintWriter out = ProgressLine.stoppingOnWrite(err, p);
        out.println("recorded nic-converges");
        out.flush();
        advanceSeconds(1);
        p.tick();
        String blank = "\r" + " ".repeat("migtrace record: | 3 s".length()) + "\r";
        assertThat(screen.toString()).isEqualTo("\rmigtrace record: | 3 s" + blank + "recorded nic-converges" + System.lineSeparator());
    }

    @Test
    void aKnownTotalDrawsABarWithThePercentageDone() {
        ProgressLine p = bar("migtrace replay");
        advanceSeconds(12);
        written.set(154L * 1024 * 1024 + 300 * 1024);
        meter.done(47, 100);
        p.tick();
        assertThat(screen.toString()).isEqualTo("\rmigtrace replay: [#########...........] 47%  12 s, 154.3 MiB written");
    }

    @Test
    void theBarIsFullOnlyWhenAllIsDone() {
        ProgressLine p = bar("migtrace import qemu-log");
        advanceSeconds(2);
        meter.done(999, 1000);
        p.tick();
        assertThat(screen.toString()).contains("[###################.] 99%  2 s");
        meter.done(1000, 1000);
        p.tick();
        assertThat(screen.toString()).endsWith("[####################] 100%  2 s, 0 B written");
    }

    @Test
    void untilATotalIsReportedTheSpinnerTurns() {
        ProgressLine p = bar("migtrace analyze");
        advanceSeconds(2);
        p.tick();
        assertThat(screen.toString()).isEqualTo("\rmigtrace analyze: | 2 s, 0 B written");
        meter.done(1, 4);
        p.tick();
        assertThat(screen.toString()).endsWith("\rmigtrace analyze: [#####...............] 25%  2 s, 0 B written");
    }
}
