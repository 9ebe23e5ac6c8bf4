package org.migtrace.benchmarks.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine and JDK a figure was measured on, as one line for docs/performance.md. */
public final class Machine {
    private Machine() {
    }

    /** E.g. {@code 2 cores (Intel(R) Xeon(R) ...), 23.4 GiB RAM, Linux 6.8.0 amd64; JDK 17.0.15+6 (Eclipse Adoptium)}. */
    static String describe() {
        return Targets.fmt("%d cores (%s), %s RAM, %s %s %s; JDK %s (%s, %s)", Runtime.getRuntime().availableProcessors(),
                procValue(Path.of("/proc/cpuinfo"), "model name").orElse("CPU model unknown"),
                procValue(Path.of("/proc/meminfo"), "MemTotal").map(Machine::gib).orElse("unknown"),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.vendor"));
    }

    /** The value of the first {@code key: value} line of a /proc file; empty when it has none or is gone. */
    public static java.util.Optional<String> procValue(Path file, String key) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.stream().filter(l -> l.startsWith(key)).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    /** {@code 24567844 kB} as GiB. */
    private static String gib(String kb) {
        return Targets.fmt("%.1f GiB", Long.parseLong(kb.replace("kB", "").trim()) / 1048576.0);
    }
}
