package org.migtrace.sim.internal.vfio;

/**
 * An IOVA interval {@code [iova, iova + length)}, as the kernel's interval-tree nodes hold it
 * ({@code start = iova}, {@code last = iova + length - 1}, unsigned).
 */
public record IovaRange(long iova, long length) {
    /** The last IOVA inside the range (unsigned; wraps for length 0 at iova 0, as in the kernel). */
    public long last() {
        return iova + length - 1;
    }

    /** Whether {@code [start, last]} intersects this range's {@code [iova, last()]} (unsigned). */
    public boolean intersects(long start, long last) {
        return Long.compareUnsigned(iova, last) <= 0 && Long.compareUnsigned(last(), start) >= 0;
    }

    /** Whether {@code addr} lies in the range (unsigned). */
    public boolean contains(long addr) {
        return Long.compareUnsigned(addr, iova) >= 0 && Long.compareUnsigned(addr, last()) <= 0;
    }
}
