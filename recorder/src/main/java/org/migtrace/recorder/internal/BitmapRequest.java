package org.migtrace.recorder.internal;

/**
 * A dirty bitmap a call returns into user memory: bit {@code n} of the little-endian bit string at
 * {@code addr} (bit {@code n % 8} of byte {@code n / 8}; the same bits as u64 words on x86_64) says
 * whether page {@code firstPage + n} of {@code pageSize} bytes is dirty.
 *
 * @param addr      the user bitmap
 * @param nbits     number of pages the bitmap covers
 * @param firstPage the range's start as an absolute page number (IOVA / page size)
 * @param pageSize  bytes per bit
 */
public record BitmapRequest(long addr, long nbits, long firstPage, long pageSize) {

    /**
     * The bitmap of {@code length} bytes of IOVA from {@code iova} at {@code pageSize}, or null when
     * the arguments describe none (no length, or a page size that is not a power of two, which no
     * kernel path accepts). The page count rounds up, as {@code iova_bitmap}'s does; the kernels
     * that accept a call require {@code iova} and {@code length} aligned, where it makes no difference.
     */
    public static BitmapRequest of(long iova, long length, long pageSize, long addr) {
        if (length == 0 || pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            return null;
        }
        long nbits = Long.divideUnsigned(length - 1, pageSize) + 1;
        return new BitmapRequest(addr, nbits, Long.divideUnsigned(iova, pageSize), pageSize);
    }
}
