package org.migtrace.recorder.importer.bpftrace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.migtrace.recorder.importer.bpftrace.internal.ElfNotes;
import org.migtrace.recorder.importer.bpftrace.internal.FdNames;
import org.migtrace.trace.Manifest;
import org.migtrace.trace.TraceWriter;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.MigtraceException;
import org.migtrace.uapi.MigtraceException.ErrorCode;

/**
 * A live capture of one process: starts {@code bpftrace -f json} with the capture script and
 * streams its output through a pipe into a new trace as it comes (no file in between), until the
 * process exits (the script ends itself then), {@link #stop()} is called, or the JVM is asked to
 * stop (Ctrl-C): then bpftrace gets SIGINT, its remaining output is drained and the trace finished,
 * before the JVM exits. A capture that ended cleanly (the script's end line read) is marked
 * complete.
 *
 * <p>Before starting: the environment ({@link BpftraceEnvironment}), the fds the process already
 * holds on VFIO's files ({@code /proc/PID/fd}: they go into the script's fd map, so a capture
 * started right before a migration sees the device fds QEMU opened at boot), device cdevs named by
 * sysfs ({@code /sys/class/vfio-dev/vfioN/device}), and QEMU's USDT probes in its binary
 * ({@link UsdtProbes}) when asked for.
 */
public final class BpftraceCapture {
    /**
     * @param pid         the process to follow
     * @param dir         the new trace directory
     * @param bpftrace    the executable (a name on PATH, or a path)
     * @param paths       the VFIO paths the script recognizes
     * @param bitmapBytes dirty-bitmap bytes captured per call
     * @param usdt        whether to look for QEMU's USDT probes and attach them
     * @param command     the command line, for the manifest
     */
    public record Request(int pid, Path dir, String bpftrace, BpftraceScript.Paths paths, int bitmapBytes, boolean usdt,
                          String command) {
    }

    /**
     * @param report          what the import found
     * @param manifest        the trace's final manifest
     * @param bpftraceVersion {@code bpftrace --version}
     * @param openFds         fds the process held at the start that the capture follows
     * @param usdtProbes      USDT probes attached
     * @param exitStatus      bpftrace's exit status
     * @param stderr          bpftrace's standard error (its last 200 lines, without blank lines and the harmless RLIMIT_MEMLOCK notice)
     */
    public record Result(BpftraceReport report, Manifest manifest, String bpftraceVersion, int openFds, int usdtProbes,
                         int exitStatus, List<String> stderr) {
    }

    private static final int STDERR_LINES = 200;

    private final Request request;
    private volatile Process process;

    private BpftraceCapture(Request request) {
        this.request = request;
    }

    /** A capture of {@code request}, not started. */
    public static BpftraceCapture of(Request request) {
        return new BpftraceCapture(request);
    }

    /**
     * Runs the capture to its end; {@code beforeRelease} sees the result before a JVM that is shutting
     * down (Ctrl-C) is let go, so it can print a summary.
     *
     * @throws MigtraceException {@code INTERNAL} when the environment cannot run it (the message says what
     *                           to do), {@code USAGE} when there is no such process
     */
    public Result run(BpftraceImport.Options options, Consumer<Result> beforeRelease) throws MigtraceException, IOException {
        List<String> problems = BpftraceEnvironment.problems(request.bpftrace());
        if (!problems.isEmpty()) {
            throw new MigtraceException(ErrorCode.INTERNAL, "cannot capture with bpftrace here: " + String.join("; ", problems));
        }
        Path proc = Path.of("/proc", Integer.toString(request.pid()));
        if (!Files.isDirectory(proc)) {
            throw new MigtraceException(ErrorCode.USAGE, "no process " + request.pid());
        }
        Path bpftrace = BpftraceEnvironment.executable(request.bpftrace()).orElseThrow();
        String version = BpftraceEnvironment.version(bpftrace);
        Map<Integer, BpftraceImport.OpenFd> open = openFds(proc, request.paths());
        List<String> usdt = new ArrayList<>();
        if (request.usdt()) {
            usdt.addAll(usdtProbes(proc));
        }
        Path script = Files.createTempFile("migtrace-", ".bt");
        CountDownLatch released = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop();
            try {
                released.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "migtrace-capture-stop");
        try {
            Files.writeString(script, BpftraceScript.text(request.paths(), open, usdt));
            List<String> cmd = command(bpftrace, script, !usdt.isEmpty());
            TraceWriter writer = TraceWriter.create(request.dir(), BpftraceImport.manifest(version, request.command(),
                    List.of(new Manifest.HostInfo(hostName(), kernel(), null))));
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("BPFTRACE_PERF_RB_PAGES", "512"); // 2 MiB per CPU: bitmap bursts without loss
            process = pb.start();
            process.getOutputStream().close();
            Runtime.getRuntime().addShutdownHook(hook);
            Deque<String> stderr = new ArrayDeque<>();
            Thread errReader = drain(process, stderr);
            Thread watchdog = watch(request.pid());
            BpftraceImport.Options opts = options.host(options.host() != null ? options.host() : hostName())
                    .cdevName(BpftraceCapture::cdevName).openFds(open);
            BpftraceReport report;
            try {
                report = BpftraceImport.run(process.getInputStream(), "bpftrace", writer, opts);
            } catch (MigtraceException | RuntimeException | IOException e) {
                process.destroy();
                writer.finish(false);
                throw e;
            }
            int status = waitFor(process);
            watchdog.interrupt();
            join(errReader);
            List<String> err;
            synchronized (stderr) {
                err = List.copyOf(stderr);
            }
            if (!report.started()) {
                writer.discard();
                if (!ProcessHandle.of(request.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    throw new MigtraceException(ErrorCode.INTERNAL, "process " + request.pid() + " exited before bpftrace "
                            + "had attached its probes: nothing was captured, no trace written");
                }
                throw new MigtraceException(ErrorCode.INTERNAL, "bpftrace did not start the capture (exit status " + status
                        + "): " + String.join(" | ", err.subList(Math.max(0, err.size() - 5), err.size())));
            }
            writer.finish(report.complete());
            Manifest m;
            try (org.migtrace.trace.RecordedTrace t = org.migtrace.trace.RecordedTrace.open(request.dir())) {
                m = t.manifest();
            }
            Result result = new Result(report, m, version, open.size(), usdt.size(), status, err);
            beforeRelease.accept(result);
            return result;
        } finally {
            released.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the JVM is shutting down (Ctrl-C), or the hook was never added: nothing to remove
            }
            Files.deleteIfExists(script);
        }
    }

    /** Asks bpftrace to stop as Ctrl-C does (SIGINT): it runs its END probe, then closes its output. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            p.destroy(); // SIGTERM: bpftrace treats it as SIGINT
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private List<String> command(Path bpftrace, Path script, boolean usdt) {
        List<String> cmd = new ArrayList<>(List.of(bpftrace.toString(), "-f", "json"));
        if (usdt) {
            cmd.add("-p"); // activates the probes' semaphores in the process
            cmd.add(Integer.toString(request.pid()));
        }
        cmd.add(script.toString());
        cmd.addAll(BpftraceScript.arguments(request.pid(), request.bitmapBytes()));
        return cmd;
    }

    /** The fds {@code /proc/PID/fd} shows open on VFIO's files (or on a device's anon inode, or a data file's). */
    static Map<Integer, BpftraceImport.OpenFd> openFds(Path proc, BpftraceScript.Paths paths) {
        Map<Integer, BpftraceImport.OpenFd> out = new TreeMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    FdKind kind = paths.kind(target);
                    if (kind != null) {
                        out.put(Integer.parseInt(fd.getFileName().toString()), new BpftraceImport.OpenFd(kind, target));
                    }
                } catch (IOException | NumberFormatException e) {
                    // closed meanwhile, or not an fd entry
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private List<String> usdtProbes(Path proc) throws IOException {
        Path exe = proc.resolve("exe");
        List<ElfNotes.Probe> found;
        try {
            found = UsdtProbes.detect(exe);
        } catch (IOException e) {
            return List.of();
        }
        Path binary = exe.toRealPath();
        return UsdtProbes.probes(binary, request.pid(), found);
    }

    /** A device cdev's device: {@code /sys/class/vfio-dev/vfio0/device} links to the PCI device. */
    static String cdevName(String path) {
        String base = FdNames.basename(path);
        try {
            Path link = Path.of("/sys/class/vfio-dev", base, "device");
            if (Files.exists(link)) {
                return link.toRealPath().getFileName().toString();
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the file name
        }
        return base;
    }

    private Thread watch(int pid) {
        Thread t = new Thread(() -> {
            try {
                while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    Thread.sleep(250);
                }
                Thread.sleep(2000); // the script ends itself when it sees the exit; this is the backstop
                stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "migtrace-capture-watch");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Thread drain(Process p, Deque<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.isBlank() || line.contains("RLIMIT_MEMLOCK")) {
                        continue; // bpftrace 0.17 as root: harmless, and the only line most runs print
                    }
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > STDERR_LINES) {
                            lines.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // bpftrace went away: what was read is kept
            }
        }, "migtrace-bpftrace-stderr");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int waitFor(Process p) throws IOException {
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            return p.isAlive() ? -1 : p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for bpftrace", e);
        }
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This machine's name ({@code /proc/sys/kernel/hostname}). */
    static String hostName() {
        return procLine("/proc/sys/kernel/hostname", "localhost");
    }

    /** The running kernel's release ({@code uname -r}). */
    static String kernel() {
        return procLine("/proc/sys/kernel/osrelease", null);
    }

    private static String procLine(String file, String fallback) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return fallback;
        }
    }
}
