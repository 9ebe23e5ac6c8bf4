package org.migtrace.recorder.internal;

/**
 * Reads the calling process's memory the way a tracer does (bpftrace's {@code buf()} /
 * {@code probe_read_user}): a copy of {@code len} bytes at {@code addr}, or null when the range is
 * not mapped.
 */
@FunctionalInterface
public interface UserBytes {
    byte[] read(long addr, int len);

    /** A little-endian u32 at {@code addr}, or -1 when unmapped. */
    default long u32(long addr) {
        byte[] b = read(addr, 4);
        if (b == null) {
            return -1;
        }
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    /**
     * The bytes of a struct that starts with its size ({@code argsz} of VFIO structs, {@code size} of
     * IOMMUFD ones): as many as that size says, at most {@code max}, at least the size member itself;
     * null when not even that can be read.
     */
    default byte[] sized(long addr, int max) {
        long size = u32(addr);
        if (size < 0) {
            return null;
        }
        int n = (int) Math.max(4, Math.min(size, max));
        byte[] b = read(addr, n);
        return b != null ? b : read(addr, 4);
    }
}
