package org.migtrace.sim.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One process's user address space as the kernel sees it: the bytes behind user pointers that
 * ioctls copy from and to, plus the mappings that the IOMMU translates DMA into.
 *
 * <p>Three kinds of region:
 * <ul>
 *   <li>{@link Kind#HEAP}: {@link #malloc(long)} buffers for structs, bitmaps and data, backed by
 *       one dense {@code byte[]} (bitmap copies run at memory speed);</li>
 *   <li>{@link Kind#ANONYMOUS}: {@code mmap(MAP_ANONYMOUS)} memory such as guest RAM, backed
 *       lazily per 4 KiB page, so a 1 TiB guest costs nothing until bytes are written; it has a
 *       page size (4 KiB, or 2 MiB / 1 GiB for hugetlbfs) that the IOMMU uses for its IOPTEs;</li>
 *   <li>{@link Kind#DEVICE}: a {@code mmap} of a device region (MMIO): reads return zero, writes
 *       are dropped, and the owning device is told when it is unmapped.</li>
 * </ul>
 * An access must lie inside one region; anything else faults (the caller turns that into
 * {@code EFAULT}, as {@code copy_from_user} does). Guest RAM regions can also keep a write log
 * ({@link #trackWrites(long)}): one bit per 4 KiB page, set by every CPU or DMA write and cleared
 * when the migration driver copies the page, so that a write no dirty report caught shows up as a
 * page still set after the migration ended.
 */
public final class UserMemory {
    /** x86_64 {@code TASK_SIZE_MAX}: what {@code access_ok} checks against. */
    public static final long TASK_SIZE_MAX = (1L << 47) - 4096;
    public static final int PAGE_SIZE = 4096;
    public static final int PAGE_SHIFT = 12;

    private static final long HEAP_BASE = 0x5555_5555_0000L;
    private static final long MMAP_BASE = 0x7000_0000_0000L;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What backs a region. */
    public enum Kind { HEAP, ANONYMOUS, DEVICE }

    /** Told when a device mapping goes away (the {@code vm_operations_struct.close} of a device mmap). */
    @FunctionalInterface
    public interface UnmapListener {
        void unmapped(Region region);
    }

    /** One mapping. */
    public static final class Region {
        private final long start;
        private final long length;
        private final Kind kind;
        private final long pageSize;
        private final Object owner;
        private final long ownerOffset;
        private final UnmapListener onUnmap;
        private final byte[] dense;
        private final Map<Long, byte[]> sparse;
        private Bitmap writes;

        private Region(long start, long length, Kind kind, long pageSize, Object owner, long ownerOffset,
                       UnmapListener onUnmap) {
            this.start = start;
            this.length = length;
            this.kind = kind;
            this.pageSize = pageSize;
            this.owner = owner;
            this.ownerOffset = ownerOffset;
            this.onUnmap = onUnmap;
            this.dense = kind == Kind.HEAP ? new byte[Math.toIntExact(length)] : null;
            this.sparse = kind == Kind.ANONYMOUS ? new HashMap<>() : null;
        }

        public long start() {
            return start;
        }

        public long length() {
            return length;
        }

        /** First address past the region. */
        public long end() {
            return start + length;
        }

        public Kind kind() {
            return kind;
        }

        /** The page size of the backing (4 KiB, or the hugetlbfs size). */
        public long pageSize() {
            return pageSize;
        }

        /** For device mappings: the device file's object; null otherwise. */
        public Object owner() {
            return owner;
        }

        /** For device mappings: the file offset the mapping starts at. */
        public long ownerOffset() {
            return ownerOffset;
        }

        /** The write log (one bit per 4 KiB page), or null when writes are not tracked. */
        public Bitmap writes() {
            return writes;
        }

        boolean contains(long addr, long len) {
            return addr >= start && len >= 0 && addr - start <= length - len;
        }

        @Override
        public String toString() {
            return String.format("%s[0x%x..0x%x, page %d]", kind, start, start + length, pageSize);
        }
    }

    private final TreeMap<Long, Region> regions = new TreeMap<>();
    /** The region {@link #regionAt} found last (a call's accesses fall in one or two); null once unmapped. */
    private Region lastFound;
    private long heapNext = HEAP_BASE;
    private long mmapNext = MMAP_BASE;

    /** A dense buffer of {@code size} bytes, zero-filled; its address is page aligned. */
    public long malloc(long size) {
        if (size <= 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("malloc(" + size + ")");
        }
        long addr = heapNext;
        heapNext = alignUp(addr + size, PAGE_SIZE) + PAGE_SIZE; // guard page between buffers
        insert(new Region(addr, size, Kind.HEAP, PAGE_SIZE, null, 0, null));
        return addr;
    }

    /** Frees a {@link #malloc(long)} buffer by its start address. */
    public void free(long addr) {
        Region r = regions.get(addr);
        if (r == null || r.kind != Kind.HEAP) {
            throw new IllegalArgumentException(String.format("free(0x%x): not a heap buffer", addr));
        }
        remove(r);
    }

    /**
     * Anonymous memory of {@code length} bytes with the given backing page size, aligned to it
     * (what {@code mmap(MAP_ANONYMOUS[|MAP_HUGETLB])} returns). Returns the address, or -1 if the
     * address space is exhausted.
     */
    public long mapAnonymous(long length, long pageSize) {
        if (length <= 0 || Long.bitCount(pageSize) != 1 || pageSize < PAGE_SIZE || length % pageSize != 0) {
            return -1;
        }
        long addr = alignUp(mmapNext, Math.max(pageSize, 1L << 21));
        if (addr + length > TASK_SIZE_MAX) {
            return -1;
        }
        mmapNext = addr + length + PAGE_SIZE;
        insert(new Region(addr, length, Kind.ANONYMOUS, pageSize, null, 0, null));
        return addr;
    }

    /** A mapping of {@code length} bytes of a device file at {@code fileOffset}. */
    public long mapDevice(long length, Object owner, long fileOffset, UnmapListener onUnmap) {
        long addr = alignUp(mmapNext, PAGE_SIZE);
        if (length <= 0 || addr + length > TASK_SIZE_MAX) {
            return -1;
        }
        mmapNext = addr + alignUp(length, PAGE_SIZE) + PAGE_SIZE;
        insert(new Region(addr, length, Kind.DEVICE, PAGE_SIZE, owner, fileOffset, onUnmap));
        return addr;
    }

    /**
     * Removes the mapping that starts at {@code addr} with exactly {@code length} bytes (rounded
     * up to pages). Partial unmaps are not modelled: returns false for them, and for heap buffers.
     */
    public boolean unmap(long addr, long length) {
        Region r = regions.get(addr);
        if (r == null || r.kind == Kind.HEAP || alignUp(r.length, PAGE_SIZE) != alignUp(length, PAGE_SIZE)) {
            return false;
        }
        remove(r);
        if (r.onUnmap != null) {
            r.onUnmap.unmapped(r);
        }
        return true;
    }

    /** The region containing {@code addr}, or null. */
    public Region regionAt(long addr) {
        Region last = lastFound;
        if (last != null && addr >= last.start && addr < last.end()) {
            return last;
        }
        var e = regions.floorEntry(addr);
        if (e == null) {
            return null;
        }
        Region r = e.getValue();
        if (addr < r.end()) {
            lastFound = r;
            return r;
        }
        return null;
    }

    private void remove(Region r) {
        regions.remove(r.start);
        if (lastFound == r) {
            lastFound = null;
        }
    }

    /**
     * Device mappings whose owner {@code owner} accepts, in address order (a driver looking for the
     * VMAs of any of its files, as vfio-pci's {@code vma_list} walk does).
     */
    public List<Region> deviceMappingsWhere(Predicate<Object> owner) {
        List<Region> out = new ArrayList<>();
        for (Region r : regions.values()) {
            if (r.kind == Kind.DEVICE && owner.test(r.owner)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * {@code access_ok(addr, len)}: on x86_64 only a range check against {@link #TASK_SIZE_MAX};
     * it says nothing about whether the range is mapped.
     */
    public static boolean accessOk(long addr, long len) {
        return len >= 0 && addr >= 0 && addr <= TASK_SIZE_MAX && len <= TASK_SIZE_MAX - addr;
    }

    /** Starts a write log on the anonymous region at {@code addr} (all pages clear). */
    public Bitmap trackWrites(long addr) {
        Region r = regions.get(addr);
        if (r == null || r.kind != Kind.ANONYMOUS) {
            throw new IllegalArgumentException(String.format("0x%x is not the start of an anonymous mapping", addr));
        }
        if (r.writes == null) {
            r.writes = new Bitmap(r.length >>> PAGE_SHIFT);
        }
        return r.writes;
    }

    /**
     * Records a write of {@code len} bytes at {@code addr} (a CPU store or a DMA write that reached
     * memory) in the region's write log. Returns false if the range is not inside one mapping.
     */
    public boolean noteWrite(long addr, long len) {
        Region r = regionAt(addr);
        if (r == null || !r.contains(addr, len)) {
            return false;
        }
        if (r.writes != null && len > 0) {
            long first = (addr - r.start) >>> PAGE_SHIFT;
            long last = (addr - r.start + len - 1) >>> PAGE_SHIFT;
            r.writes.setRange(first, last - first + 1);
        }
        return true;
    }

    // ---- byte access (false = fault)

    /** Copies {@code len} bytes at {@code addr} into {@code dst}; false on fault. */
    public boolean read(long addr, byte[] dst, int off, int len) {
        Region r = find(addr, len);
        if (r == null) {
            return false;
        }
        switch (r.kind) {
            case HEAP:
                System.arraycopy(r.dense, (int) (addr - r.start), dst, off, len);
                return true;
            case DEVICE:
                Arrays.fill(dst, off, off + len, (byte) 0);
                return true;
            default:
                sparseRead(r, addr - r.start, dst, off, len);
                return true;
        }
    }

    /** Copies {@code len} bytes from {@code src} to {@code addr}; false on fault. */
    public boolean write(long addr, byte[] src, int off, int len) {
        Region r = find(addr, len);
        if (r == null) {
            return false;
        }
        switch (r.kind) {
            case HEAP:
                System.arraycopy(src, off, r.dense, (int) (addr - r.start), len);
                return true;
            case DEVICE:
                return true;
            default:
                sparseWrite(r, addr - r.start, src, off, len);
                return true;
        }
    }

    /** {@code copy_from_user}: a fresh copy of {@code len} bytes, or null on fault. */
    public byte[] copyFrom(long addr, int len) {
        byte[] b = new byte[len];
        return read(addr, b, 0, len) ? b : null;
    }

    /**
     * Writes {@code n} words of {@code src} from index {@code from} to {@code addr} as little-endian
     * u64s; {@code addr} need not be aligned. False on fault (nothing is written then). Heap buffers
     * take a bulk copy (the bitmap copies of a 1 TiB guest are 32 MiB each).
     */
    public boolean writeLongs(long addr, long[] src, int from, int n) {
        long bytes = (long) n << 3;
        Region r = find(addr, bytes);
        if (r == null) {
            return false;
        }
        if (r.kind == Kind.HEAP) {
            ByteBuffer.wrap(r.dense, (int) (addr - r.start), (int) bytes).order(ByteOrder.LITTLE_ENDIAN)
                    .asLongBuffer().put(src, from, n);
            return true;
        }
        if (r.kind == Kind.ANONYMOUS) {
            byte[] tmp = new byte[8];
            long off = addr - r.start;
            int i = 0;
            while (i < n) {
                long page = off >>> PAGE_SHIFT;
                int in = (int) (off & (PAGE_SIZE - 1));
                if (in > PAGE_SIZE - 8) { // a word straddling two pages
                    LONG.set(tmp, 0, src[from + i]);
                    sparseWrite(r, off, tmp, 0, 8);
                    off += 8;
                    i++;
                    continue;
                }
                byte[] p = r.sparse.computeIfAbsent(page, k -> new byte[PAGE_SIZE]);
                int words = Math.min(n - i, (PAGE_SIZE - in) >>> 3);
                for (int k = 0; k < words; k++, in += 8) {
                    LONG.set(p, in, src[from + i + k]);
                }
                i += words;
                off += (long) words << 3;
            }
        }
        return true;
    }

    /**
     * Writes {@code n} copies of the little-endian u64 {@code value} at {@code addr} (a word-level
     * {@code memset}); false on fault (nothing is written then).
     */
    public boolean fillLongs(long addr, long value, long n) {
        if (n < 0) {
            return false;
        }
        long bytes = n << 3;
        Region r = find(addr, bytes);
        if (r == null) {
            return false;
        }
        boolean uniform = value == 0 || value == -1;
        if (r.kind == Kind.HEAP) {
            int at = (int) (addr - r.start);
            if (uniform) {
                Arrays.fill(r.dense, at, at + (int) bytes, (byte) value);
            } else {
                for (long k = 0; k < n; k++, at += 8) {
                    LONG.set(r.dense, at, value);
                }
            }
        } else if (r.kind == Kind.ANONYMOUS) {
            byte[] pattern = new byte[PAGE_SIZE + 8];
            for (int k = 0; k < pattern.length; k += 8) {
                LONG.set(pattern, k, value);
            }
            long off = addr - r.start;
            for (long done = 0; done < bytes; ) {
                long page = (off + done) >>> PAGE_SHIFT;
                int in = (int) ((off + done) & (PAGE_SIZE - 1));
                int len = (int) Math.min(PAGE_SIZE - in, bytes - done);
                int phase = (int) (done & 7);
                byte[] p = r.sparse.get(page);
                if (p == null && value != 0) {
                    p = new byte[PAGE_SIZE];
                    r.sparse.put(page, p);
                }
                if (p != null) {
                    System.arraycopy(pattern, phase, p, in, len);
                }
                done += len;
            }
        }
        return true;
    }

    /** Reads {@code n} little-endian u64s at {@code addr} into {@code dst}; false on fault. */
    public boolean readLongs(long addr, long[] dst, int from, int n) {
        long bytes = (long) n << 3;
        Region r = find(addr, bytes);
        if (r == null) {
            return false;
        }
        if (r.kind == Kind.HEAP) {
            byte[] s = r.dense;
            int at = (int) (addr - r.start);
            for (int i = 0; i < n; i++, at += 8) {
                dst[from + i] = (long) LONG.get(s, at);
            }
            return true;
        }
        byte[] tmp = new byte[8];
        for (int i = 0; i < n; i++) {
            if (r.kind == Kind.ANONYMOUS) {
                sparseRead(r, addr - r.start + ((long) i << 3), tmp, 0, 8);
                dst[from + i] = (long) LONG.get(tmp, 0);
            } else {
                dst[from + i] = 0;
            }
        }
        return true;
    }

    /** One little-endian u64 at {@code addr}; throws for a fault (for the user-space side, where a fault is a bug). */
    public long getLong(long addr) {
        long[] v = new long[1];
        if (!readLongs(addr, v, 0, 1)) {
            throw new IllegalStateException(String.format("user-space read of unmapped 0x%x", addr));
        }
        return v[0];
    }

    /** Writes one little-endian u64; throws for a fault (user-space side). */
    public void putLong(long addr, long value) {
        if (!writeLongs(addr, new long[] {value}, 0, 1)) {
            throw new IllegalStateException(String.format("user-space write to unmapped 0x%x", addr));
        }
    }

    /** Sets {@code len} bytes at {@code addr} to zero; false on fault. */
    public boolean zero(long addr, long len) {
        Region r = find(addr, len);
        if (r == null) {
            return false;
        }
        if (r.kind == Kind.HEAP) {
            int at = (int) (addr - r.start);
            Arrays.fill(r.dense, at, at + (int) len, (byte) 0);
        } else if (r.kind == Kind.ANONYMOUS) {
            long off = addr - r.start;
            for (long done = 0; done < len; ) {
                long page = (off + done) >>> PAGE_SHIFT;
                int in = (int) ((off + done) & (PAGE_SIZE - 1));
                int n = (int) Math.min(PAGE_SIZE - in, len - done);
                byte[] p = r.sparse.get(page);
                if (p != null) {
                    Arrays.fill(p, in, in + n, (byte) 0);
                }
                done += n;
            }
        }
        return true;
    }

    /**
     * Sets {@code nbits} bits of the byte-addressed bitmap at {@code base}, starting at bit
     * {@code startBit} (bit {@code n} is bit {@code n % 8} of byte {@code base + n / 8}, the kernel's
     * {@code bitmap_set} on a little-endian host). False on fault (then nothing is set).
     */
    public boolean setBits(long base, long startBit, long nbits) {
        if (nbits <= 0) {
            return nbits == 0;
        }
        long firstByte = base + (startBit >>> 3);
        long lastByte = base + ((startBit + nbits - 1) >>> 3);
        Region r = find(firstByte, lastByte - firstByte + 1);
        if (r == null) {
            return false;
        }
        if (r.kind == Kind.DEVICE) {
            return true;
        }
        long bit = startBit;
        long end = startBit + nbits;
        byte[] one = new byte[1];
        while (bit < end) {
            long addr = base + (bit >>> 3);
            int inByte = (int) (bit & 7);
            if (inByte == 0 && end - bit >= 8 && r.kind == Kind.HEAP) {
                long whole = (end - bit) >>> 3;
                int at = (int) (addr - r.start);
                Arrays.fill(r.dense, at, at + (int) whole, (byte) 0xFF);
                bit += whole << 3;
                continue;
            }
            int n = (int) Math.min(8 - inByte, end - bit);
            int mask = ((1 << n) - 1) << inByte;
            read(addr, one, 0, 1);
            one[0] |= (byte) mask;
            write(addr, one, 0, 1);
            bit += n;
        }
        return true;
    }

    /** Counts the pinnable pages from {@code addr}'s page onward, up to {@code max} ({@code pin_user_pages} stops at a hole). */
    public long mappedPagesFrom(long addr, long max) {
        Region r = regionAt(addr);
        if (r == null || r.kind == Kind.DEVICE) {
            return 0;
        }
        long pageStart = addr & -PAGE_SIZE;
        long lastPage = (r.end() - 1) & -PAGE_SIZE;
        return Math.min(max, ((lastPage - pageStart) >>> PAGE_SHIFT) + 1);
    }

    private Region find(long addr, long len) {
        Region r = regionAt(addr);
        return r != null && r.contains(addr, len) ? r : null;
    }

    private void insert(Region r) {
        Region before = regionAt(r.start);
        if (before != null || (regions.ceilingKey(r.start) != null && regions.ceilingKey(r.start) < r.end())) {
            throw new IllegalStateException("overlapping mapping " + r);
        }
        regions.put(r.start, r);
    }

    private static void sparseRead(Region r, long off, byte[] dst, int dOff, int len) {
        for (int done = 0; done < len; ) {
            long page = (off + done) >>> PAGE_SHIFT;
            int in = (int) ((off + done) & (PAGE_SIZE - 1));
            int n = Math.min(PAGE_SIZE - in, len - done);
            byte[] p = r.sparse.get(page);
            if (p == null) {
                Arrays.fill(dst, dOff + done, dOff + done + n, (byte) 0);
            } else {
                System.arraycopy(p, in, dst, dOff + done, n);
            }
            done += n;
        }
    }

    private static void sparseWrite(Region r, long off, byte[] src, int sOff, int len) {
        for (int done = 0; done < len; ) {
            long page = (off + done) >>> PAGE_SHIFT;
            int in = (int) ((off + done) & (PAGE_SIZE - 1));
            int n = Math.min(PAGE_SIZE - in, len - done);
            System.arraycopy(src, sOff + done, r.sparse.computeIfAbsent(page, k -> new byte[PAGE_SIZE]), in, n);
            done += n;
        }
    }

    /** Rounds {@code v} up to a multiple of the power of two {@code a}. */
    public static long alignUp(long v, long a) {
        return (v + a - 1) & -a;
    }
}
