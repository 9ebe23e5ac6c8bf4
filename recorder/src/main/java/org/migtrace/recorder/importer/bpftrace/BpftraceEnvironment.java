package org.migtrace.recorder.importer.bpftrace;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a live capture needs from the machine, checked before anything starts, each missing piece
 * with what to do about it: the {@code bpftrace} executable, the privileges (root; bpftrace 0.17
 * refuses any other user, later versions run with {@code CAP_BPF}, {@code CAP_PERFMON} and
 * {@code CAP_SYS_RESOURCE}), and tracefs (the {@code syscalls} tracepoints the script attaches to).
 */
public final class BpftraceEnvironment {
    private static final int CAP_PERFMON = 38;
    private static final int CAP_BPF = 39;
    private static final List<Path> TRACEFS = List.of(Path.of("/sys/kernel/tracing"), Path.of("/sys/kernel/debug/tracing"));

    private BpftraceEnvironment() {
    }

    /** The executable: {@code bpftrace} as given when it contains a slash, else found on {@code PATH}. */
    public static Optional<Path> executable(String bpftrace) {
        if (bpftrace.contains("/")) {
            Path p = Path.of(bpftrace);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/usr/sbin:/bin:/sbin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, bpftrace);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether tracefs is mounted with the syscall tracepoints, at either of its usual places. */
    public static Optional<Path> tracefs() {
        for (Path p : TRACEFS) {
            if (Files.isDirectory(p.resolve("events/syscalls"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether this process is root, or holds CAP_BPF and CAP_PERFMON. */
    public static boolean privileged() {
        try {
            long uid = -1;
            long caps = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                } else if (line.startsWith("CapEff:")) {
                    caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
            return uid == 0 || ((caps >>> CAP_BPF & 1) == 1 && (caps >>> CAP_PERFMON & 1) == 1);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Every reason a live capture cannot run here, each saying what to do; empty when it can. */
    public static List<String> problems(String bpftrace) {
        List<String> out = new ArrayList<>();
        if (executable(bpftrace).isEmpty()) {
            out.add("bpftrace not found (" + bpftrace + "): install it (Debian/Ubuntu: apt-get install bpftrace; "
                    + "Fedora/RHEL: dnf install bpftrace) or name it with --bpftrace-path");
        }
        if (!privileged()) {
            out.add("not privileged: run as root (bpftrace 0.17 refuses other users; later versions need CAP_BPF, "
                    + "CAP_PERFMON and CAP_SYS_RESOURCE)");
        }
        if (tracefs().isEmpty()) {
            out.add("tracefs is not mounted (no /sys/kernel/tracing/events/syscalls): "
                    + "mount -t tracefs nodev /sys/kernel/tracing");
        }
        return out;
    }

    /** {@code bpftrace --version}'s answer ({@code bpftrace v0.17.0}), or null when it gives none. */
    public static String version(Path bpftrace) {
        try {
            Process p = new ProcessBuilder(bpftrace.toString(), "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return out.isEmpty() ? null : out.lines().findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
