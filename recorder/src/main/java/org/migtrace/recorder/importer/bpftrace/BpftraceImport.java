package org.migtrace.recorder.importer.bpftrace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.migtrace.recorder.importer.InputSource;
import org.migtrace.recorder.importer.bpftrace.internal.BpftraceStream;
import org.migtrace.recorder.importer.bpftrace.internal.FdNames;
import org.migtrace.trace.BadTraceException;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.NewTrace;
import org.migtrace.trace.TraceSink;
import org.migtrace.uapi.FdKind;

/**
 * Imports the output of {@code bpftrace -f json} running the capture script
 * ({@link BpftraceScript}, {@code migtrace-vfio.bt}) into a trace: a saved file, standard input, or
 * the pipe of a live capture ({@link BpftraceCapture}). The same rows a simulated recording has
 * for the same calls (the recorder's decoders read the memory the script copied), in the order the
 * calls were entered, plus what only a real capture has: loss markers, bpftrace's diagnostics,
 * call durations, how much of each dirty bitmap was captured. Streaming: memory does not grow with
 * the input.
 *
 * <p>Every {@code bpftrace -f json} object is understood, in the shapes of bpftrace 0.17 to 0.26:
 * {@code printf}; {@code lost_events} ({@code data.events}, and the {@code count} of 0.24+);
 * {@code attached_probes}; {@code helper_error} (with or without {@code msg} and
 * {@code filename}), {@code errorf}, {@code warnf}, {@code runtime_error}; and the outputs of other
 * scripts ({@code map}, {@code hist}, {@code stats}, {@code value}, {@code tseries}, {@code time},
 * {@code cat}, {@code join}, {@code syscall}...), which are counted in the report.
 *
 * <pre>{@code
 * BpftraceReport r = BpftraceImport.toTrace(InputSource.file(json), dir, BpftraceImport.manifest(null, cmd, hosts),
 *         BpftraceImport.Options.defaults());
 * }</pre>
 */
public final class BpftraceImport {
    private BpftraceImport() {
    }

    /** Told now and then how far an import got (at most once per flush interval). */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param rows  rows written so far
         * @param lost  events bpftrace reported lost so far
         * @param lines JSON objects read so far
         * @param held  lines waiting for their turn in the entry order
         */
        void update(long rows, long lost, long lines, int held);

        /** The capture script started: its probes are attached ({@code probes} as bpftrace counted them, or -1). */
        default void started(long probes) {
        }

        Progress NONE = (rows, lost, lines, held) -> { };
    }

    /** An fd the process held before the capture started: its kind and what it is open on. */
    public record OpenFd(FdKind kind, String path) {
    }

    /**
     * @param host            the host name rows carry (null: unknown)
     * @param cdevName        the device name of a device cdev path (a live capture reads sysfs; default: the file name)
     * @param openFds         fds the process held before the capture started (a live capture reads /proc/PID/fd)
     * @param reorderWindowNs how long (capture time) a line waits for calls that entered before it and return later
     * @param maxHeld         at most this many lines wait
     * @param flushNs         the sink is flushed at least this often (wall time) while lines arrive
     * @param progress        told at every flush
     */
    public record Options(String host, UnaryOperator<String> cdevName, Map<Integer, OpenFd> openFds, long reorderWindowNs,
                          int maxHeld, long flushNs, Progress progress) {
        public Options {
            Objects.requireNonNull(cdevName, "cdevName");
            openFds = java.util.Collections.unmodifiableMap(new TreeMap<>(openFds)); // by fd: names are given in order
            Objects.requireNonNull(progress, "progress");
            if (reorderWindowNs < 0 || maxHeld < 1 || flushNs < 1) {
                throw new IllegalArgumentException("window " + reorderWindowNs + ", maxHeld " + maxHeld + ", flush " + flushNs);
            }
        }

        /** No host name, cdevs named by file, 2 s reorder window, 65536 lines held at most, a flush per second. */
        public static Options defaults() {
            return new Options(null, FdNames::basename, Map.of(), TimeUnit.SECONDS.toNanos(2), 1 << 16,
                    TimeUnit.SECONDS.toNanos(1), Progress.NONE);
        }

        public Options host(String name) {
            return new Options(name, cdevName, openFds, reorderWindowNs, maxHeld, flushNs, progress);
        }

        public Options cdevName(UnaryOperator<String> resolver) {
            return new Options(host, resolver, openFds, reorderWindowNs, maxHeld, flushNs, progress);
        }

        public Options openFds(Map<Integer, OpenFd> fds) {
            return new Options(host, cdevName, fds, reorderWindowNs, maxHeld, flushNs, progress);
        }

        public Options progress(long everyNs, Progress listener) {
            return new Options(host, cdevName, openFds, reorderWindowNs, maxHeld, everyNs, listener);
        }
    }

    /**
     * Reads {@code source} to its end, appending every row to {@code sink} (which the caller owns: it is
     * flushed now and then, never closed).
     *
     * @throws BadTraceException when the input is not bpftrace JSON output (the message names the line)
     */
    public static BpftraceReport run(InputSource source, TraceSink sink, Options options)
            throws BadTraceException, IOException {
        try (InputStream in = source.bytes()) {
            return run(in, source.name(), sink, options);
        }
    }

    /** As {@link #run(InputSource, TraceSink, Options)} over a stream already open. */
    public static BpftraceReport run(InputStream in, String sourceName, TraceSink sink, Options options)
            throws BadTraceException, IOException {
        return new BpftraceStream(sink, sourceName, options, System::nanoTime).run(in);
    }

    /**
     * Imports into a new trace directory {@code dir} (which must not exist, or be empty), finished as
     * complete when the script's end line was read and nothing was cut off. Bad input leaves no
     * directory behind.
     */
    public static BpftraceReport toTrace(InputSource source, Path dir, Manifest start, Options options)
            throws BadTraceException, IOException, FileAlreadyExistsException {
        return NewTrace.write(dir, sinks -> run(source, sinks.open(start), options), r -> null,
                BpftraceReport::complete);
    }

    /**
     * The start manifest of a bpftrace trace: source {@code bpftrace}, the tool ({@code bpftrace
     * 0.17.0} when known) and the command; the hosts when known (a live capture knows its own).
     */
    public static Manifest manifest(String bpftraceVersion, String command, java.util.List<Manifest.HostInfo> hosts) {
        String tool = (bpftraceVersion == null ? "bpftrace (version unknown)" : bpftraceVersion) + " with "
                + BpftraceScript.NAME + " " + BpftraceScript.VERSION;
        return Manifest.start(new Manifest.Source("bpftrace", tool, command), hosts, null, null, java.util.List.of(),
                java.util.List.of(), null);
    }
}
