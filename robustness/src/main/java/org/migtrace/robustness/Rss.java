package org.migtrace.robustness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The resident size of a process, from /proc (Linux). */
final class Rss {
    private Rss() {
    }

    static long kib(long pid) {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1; // gone, or not Linux
        }
        return -1;
    }
}
