package org.migtrace.cli.output;

import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.migtrace.sim.run.Units;

/**
 * One status line on a terminal's stderr while a long command works: what runs, how far it got when
 * it says ({@link WorkMeter}: a bar and the percentage; a spinner otherwise), for how long, and how
 * much it has written so far ({@code migtrace replay: [#########...........] 47%  12 s, 154.3 MiB
 * written}), redrawn in place with a carriage return. It appears only after {@link #DELAY_NS} (a
 * quick command shows nothing) and is erased, for good, by {@link #stop()} — before the command's
 * first output, and at its end — so what the command prints is never mixed with it. Only for a
 * terminal: the caller decides ({@link org.migtrace.cli.Progress}); redirected output never sees it.
 */
public final class ProgressLine {

    /** How long a command runs before the line appears. */
    public static final long DELAY_NS = TimeUnit.SECONDS.toNanos(1);
    private static final char[] SPINNER = {'|', '/', '-', '\\'};
    /** Characters between the bar's brackets. */
    static final int BAR_WIDTH = 20;

    private final PrintWriter err;
    private final String label;
    private final WorkMeter meter;
    private final LongSupplier written;
    private final LongSupplier clock;
    private final long startNs;
    private int drawn; // width of the line on screen, 0 when none
    private int ticks;
    private boolean stopped;

    /**
     * @param meter   what the command reports of its work: a bar with the fraction done once it has
     *                reported a total, the spinner until then
     * @param written bytes written so far, or {@code null} when the command writes no file
     * @param clock   nanoseconds, monotonic ({@link System#nanoTime} outside tests)
     */
    public ProgressLine(PrintWriter err, String label, WorkMeter meter, LongSupplier written, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.meter = meter;
        this.written = written;
        this.clock = clock;
        this.startNs = clock.getAsLong();
    }

    /** Redraws the line (once {@link #DELAY_NS} has passed), unless stopped. */
    public synchronized void tick() {
        if (stopped) {
            return;
        }
        long elapsed = clock.getAsLong() - startNs;
        if (elapsed < DELAY_NS) {
            return;
        }
        String text = text(elapsed);
        err.print("\r" + text + " ".repeat(Math.max(0, drawn - text.length())));
        err.flush();
        drawn = text.length();
    }

    /** The line's text after {@code elapsedNs}. */
    String text(long elapsedNs) {
        StringBuilder b = new StringBuilder(label).append(": ");
        double fraction = meter.fraction();
        if (fraction < 0) {
            b.append(SPINNER[ticks++ % SPINNER.length]).append(' ');
        } else {
            bar(b, fraction);
        }
        b.append(TimeUnit.NANOSECONDS.toSeconds(elapsedNs)).append(" s");
        if (written != null) {
            b.append(", ").append(Units.bytes(written.getAsLong())).append(" written");
        }
        return b.toString();
    }

    /** {@code [#########...........] 47%  }: whole percent, rounded down (100 only when all is done). */
    private static void bar(StringBuilder b, double fraction) {
        int filled = (int) (fraction * BAR_WIDTH);
        b.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                .append((int) (fraction * 100)).append("%  ");
    }

    /** Erases the line if it is drawn; later ticks draw nothing. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            err.flush();
            drawn = 0;
        }
    }

    /**
     * {@code target} behind a writer that first stops {@code line}: the command's first output
     * erases the progress line instead of landing beside it.
     */
    public static PrintWriter stoppingOnWrite(PrintWriter target, ProgressLine line) {
        return new PrintWriter(target) {
            @Override
            public void write(int c) {
                line.stop();
                super.write(c);
            }

            @Override
            public void write(char[] buf, int off, int len) {
                line.stop();
                super.write(buf, off, len);
            }

            @Override
            public void write(String s, int off, int len) {
                line.stop();
                super.write(s, off, len);
            }
        };
    }
}
