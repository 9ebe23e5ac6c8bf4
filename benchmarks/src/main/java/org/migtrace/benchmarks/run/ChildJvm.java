package org.migtrace.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.migtrace.cli.JvmFlags;

/**
 * A main class run in a child JVM on this JVM's class path, with a heap limit, timed, its peak
 * resident set size taken from {@code /proc/PID/status} ({@code VmHWM}, the kernel's high-water
 * mark, read every {@value #POLL_MS} ms while it runs: growth in the last interval before it exits
 * is not seen). Its stdout and stderr go to files.
 */
final class ChildJvm {
    static final long POLL_MS = 20;

    /**
     * How a child ended.
     *
     * @param exit       its exit status
     * @param seconds    wall time from start to exit, the JVM's start included
     * @param peakRssKib the largest VmHWM seen, in KiB (0 when none was read)
     * @param outOfMemory whether it ended on an {@code OutOfMemoryError} (it runs with
     *                   {@code -XX:+ExitOnOutOfMemoryError})
     * @param stderr     where its stderr is
     */
    record Exit(int exit, double seconds, long peakRssKib, boolean outOfMemory, Path stderr) {
        @Override
        public String toString() {
            return Targets.fmt("exit %d after %.1f s, peak RSS %.0f MiB%s (stderr: %s)", exit, seconds, peakRssMib(),
                    outOfMemory ? ", out of memory" : "", stderr);
        }

        double peakRssMib() {
            return peakRssKib / 1024.0;
        }
    }

    private ChildJvm() {
    }

    /** Runs {@code main} with {@code args} under {@code -Xmx<heap>}, output into {@code out} and {@code err}. */
    static Exit run(String heap, Class<?> main, List<String> args, Path out, Path err)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(JvmFlags.launcher());
        command.addAll(List.of("-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                main.getName()));
        command.addAll(args);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, vmHwmKib(status));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // -XX:+ExitOnOutOfMemoryError says so on stdout; an OutOfMemoryError thrown to the top, on stderr
        boolean oom = Files.readString(out).contains("java.lang.OutOfMemoryError")
                || Files.readString(err).contains("java.lang.OutOfMemoryError");
        return new Exit(p.exitValue(), seconds, peak, oom, err);
    }

    /** VmHWM in KiB, or 0 once the process is gone. */
    private static long vmHwmKib(Path status) {
        return Machine.procValue(status, "VmHWM").map(v -> Long.parseLong(v.replace("kB", "").trim())).orElse(0L);
    }
}
