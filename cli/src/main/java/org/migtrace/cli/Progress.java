package org.migtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.migtrace.cli.output.ProgressLine;
import org.migtrace.cli.output.WorkMeter;
import org.migtrace.trace.WorkProgress;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.RunLast;

/**
 * Runs the chosen command as picocli's {@link RunLast} does; on a terminal, with a
 * {@link ProgressLine} on stderr while it works (recording, importing, replaying, analyzing a big
 * trace take seconds to minutes). A command that knows how far along it is ({@link ShowsProgress})
 * gets a hook to say so, and the line shows a bar; the others know nothing of it. Not for commands
 * that answer at once or draw their own line ({@code record --bpftrace}); never when the output is
 * not a terminal.
 */
final class Progress implements IExecutionStrategy {

    private static final long TICK_MS = 250;
    /** Commands that print at once: a progress line would only flicker. */
    private static final Set<String> INSTANT = Set.of("migtrace help", "migtrace completion");

    private final boolean terminal;
    private final LongSupplier clock;
    private final Ticker ticker;

    /** What redraws the line while the command works. */
    interface Ticker {
        /** Every {@link #TICK_MS} on a daemon thread. */
        Ticker TIMER = new Ticker() {
            @Override
            public Runnable start(Runnable tick) {
                ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "migtrace-progress");
                    t.setDaemon(true);
                    return t;
                });
                timer.scheduleAtFixedRate(tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
                return timer::shutdownNow;
            }
        };

        /** Starts calling {@code tick}; returns what stops it. */
        Runnable start(Runnable tick);

        /** The hook the command reports into: the meter the line reads (tests also redraw on every report). */
        default WorkProgress hook(WorkMeter meter, Runnable tick) {
            return meter;
        }
    }

    /** @param terminal whether stderr is a terminal ({@code System.console() != null} in {@link Main}) */
    Progress(boolean terminal) {
        this(terminal, System::nanoTime, Ticker.TIMER);
    }

    /** @param clock nanoseconds, monotonic, for the elapsed time the line shows */
    Progress(boolean terminal, LongSupplier clock, Ticker ticker) {
        this.terminal = terminal;
        this.clock = clock;
        this.ticker = ticker;
    }

    @Override
    public int execute(ParseResult parsed) {
        ParseResult leaf = leaf(parsed);
        if (!terminal || !wanted(parsed)) {
            return new RunLast().execute(parsed);
        }
        CommandLine cmd = leaf.commandSpec().commandLine();
        PrintWriter out = cmd.getOut();
        PrintWriter err = cmd.getErr();
        WorkMeter meter = new WorkMeter();
        ProgressLine line = new ProgressLine(err, leaf.commandSpec().qualifiedName(), meter, written(leaf), clock);
        for (CommandSpec mixin : leaf.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof ShowsProgress shows) {
                shows.reportTo(ticker.hook(meter, line::tick));
            }
        }
        cmd.setOut(ProgressLine.stoppingOnWrite(out, line));
        cmd.setErr(ProgressLine.stoppingOnWrite(err, line));
        Runnable stopTicking = ticker.start(line::tick);
        try {
            return new RunLast().execute(parsed);
        } finally {
            stopTicking.run();
            line.stop();
            cmd.setOut(out);
            cmd.setErr(err);
        }
    }

    /** Whether the command line asks for work that deserves a progress line. */
    static boolean wanted(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return false;
            }
        }
        ParseResult leaf = leaf(parsed);
        return leaf != parsed && leaf.commandSpec().subcommands().isEmpty()
                && !INSTANT.contains(leaf.commandSpec().qualifiedName())
                && !leaf.hasMatchedOption("--bpftrace") && !leaf.hasMatchedOption("--list-targets");
    }

    private static ParseResult leaf(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.hasSubcommand()) {
            p = p.subcommand();
        }
        return p;
    }

    /** The size of the command's {@code -o} file or directory as it grows, or null without one. */
    static LongSupplier written(ParseResult leaf) {
        OptionSpec output = leaf.matchedOption("--output");
        if (output == null || !(output.getValue() instanceof Path path)) {
            return null;
        }
        return () -> size(path);
    }

    /** Bytes in {@code path} (a file, or every file under a directory); 0 while it does not exist. */
    static long size(Path path) {
        try {
            if (!Files.isDirectory(path)) {
                return Files.exists(path) ? Files.size(path) : 0;
            }
            try (Stream<Path> files = Files.walk(path)) {
                return files.filter(Files::isRegularFile).mapToLong(f -> {
                    try {
                        return Files.size(f);
                    } catch (IOException e) {
                        return 0; // removed while walking (a temporary file renamed into place)
                    }
                }).sum();
            }
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
