package org.migtrace.sim.internal.kernel;

import java.util.TreeMap;

/** A process's descriptor table: lowest free number first, starting at 3 (0..2 are stdio). */
public final class FdTable {
    /** {@code RLIMIT_NOFILE} as QEMU usually runs with it. */
    public static final int MAX_FDS = 65536;

    private final TreeMap<Integer, OpenFile> files = new TreeMap<>();

    /** Installs {@code f} at the lowest free fd (taking a reference); -1 if the table is full. */
    public int install(OpenFile f) {
        int fd = 3;
        for (int used : files.keySet()) {
            if (used != fd) {
                break;
            }
            fd++;
        }
        if (fd >= MAX_FDS) {
            return -1;
        }
        f.get();
        files.put(fd, f);
        return fd;
    }

    /** The file at {@code fd}, or null. */
    public OpenFile get(int fd) {
        return files.get(fd);
    }

    /** Removes {@code fd}; the file, or null if it was not open. */
    public OpenFile remove(int fd) {
        return files.remove(fd);
    }

    /** Number of open descriptors. */
    public int size() {
        return files.size();
    }
}
