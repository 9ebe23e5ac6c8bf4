package org.migtrace.recorder.internal;

import org.migtrace.sim.mem.UserMemory;

/**
 * The calling process's memory as the decoders see it: bytes ({@link UserBytes}), whole u64 words
 * for dirty bitmaps, and how far a read can go. Two sources: the simulated address space
 * ({@link #of(UserMemory)}), and the bytes a tracer copied out of a real process (the bpftrace
 * importer's captured memory), which holds only what the capture script read.
 */
public interface TracedMemory extends UserBytes {
    /**
     * Copies {@code n} little-endian u64 words at {@code addr} into {@code dst[from..]}; false (and
     * {@code dst} unspecified) when any of them cannot be read.
     */
    boolean readLongs(long addr, long[] dst, int from, int n);

    /** How many bytes from {@code addr} on can be read without a gap (0 when {@code addr} cannot). */
    long readableFrom(long addr);

    /**
     * Where the non-zero bytes of the readable {@code [addr, addr + bytes)} can be: sorted, disjoint
     * ranges {@code [start, end)} as offsets from {@code addr} in pairs, every byte outside them
     * zero; or null when this memory does not know (the default: every byte may be set).
     */
    default long[] possiblyNonZero(long addr, long bytes) {
        return null;
    }

    /** The simulated process's address space: a bitmap is readable within one mapping. */
    static TracedMemory of(UserMemory mem) {
        return new TracedMemory() {
            @Override
            public byte[] read(long addr, int len) {
                return mem.copyFrom(addr, len);
            }

            @Override
            public boolean readLongs(long addr, long[] dst, int from, int n) {
                return mem.readLongs(addr, dst, from, n);
            }

            @Override
            public long readableFrom(long addr) {
                UserMemory.Region region = mem.regionAt(addr);
                return region == null ? 0 : region.end() - addr;
            }
        };
    }
}
