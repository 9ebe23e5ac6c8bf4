package org.migtrace.replay.kernel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.mem.UserMemory;

/**
 * The replay's side of one recorded VMM process: the simulated process that stands in for it, and
 * the translation of what the recording names by number — fds (the replay's kernel may number them
 * differently, e.g. when the capture started after QEMU opened some) and user addresses (the
 * replay's mappings are where the simulated kernel put them). Addresses the recording never saw
 * mapped (a capture of a running QEMU does not see guest RAM being mapped) are mapped on first use.
 */
final class VmmProcess {
    /** A buffer the VMM passed by pointer and the kernel writes: kept per recorded address. */
    static final class Buffer {
        long addr;
        long size;
        final java.util.Set<String> objects = new java.util.TreeSet<>();
    }

    final SimProcess process;
    /** The structs of this process's calls, by their {@code args}. */
    final StructImages images = new StructImages();
    private final Map<Integer, Integer> fds = new TreeMap<>();
    /** recorded start → {length, replay start}. */
    private final TreeMap<Long, long[]> regions = new TreeMap<>();
    /** Bitmap buffers by recorded address, the least recently used first. */
    private final LinkedHashMap<Long, Buffer> buffers = new LinkedHashMap<>(16, 0.75f, true);
    /** What the bitmap buffers hold together, and the most they may before the oldest are freed. */
    private long bufferBytes;
    private final long maxBufferBytes;
    /** {@link #maxBufferBytes} of a replay: eight whole-guest bitmaps of a 1 TiB guest. */
    static final long MAX_BITMAP_BUFFER_BYTES = 256L << 20;
    /**
     * Bitmap buffers kept at most, whatever their size. Only reports that follow one another share a
     * buffer's content (QEMU reporting several devices into one bitmap); a buffer used again by the
     * same object is cleared anyway, so freeing one that has not been used for 16 others changes no
     * result.
     */
    static final int MAX_BITMAP_BUFFERS = 16;
    /** This call's buffers: {address, size}. */
    private final List<long[]> callAllocations = new ArrayList<>();
    /** Buffers of calls before, by size, to hand out again: at most {@link #MAX_SPARE}, each a struct's size. */
    private final Map<Long, ArrayDeque<Long>> spare = new java.util.HashMap<>();
    private int spareCount;
    private static final int MAX_SPARE = 64;
    /** Larger buffers (an argsz of up to 1 MiB) are freed, not kept: 64 of them would pin 64 MiB. */
    private static final long MAX_SPARE_SIZE = 4096;
    private long scratch;
    private long scratchSize;

    VmmProcess(SimProcess process) {
        this(process, MAX_BITMAP_BUFFER_BYTES);
    }

    VmmProcess(SimProcess process, long maxBufferBytes) {
        this.process = process;
        this.maxBufferBytes = maxBufferBytes;
    }

    UserMemory mem() {
        return process.memory();
    }

    /** The replay's fd for a recorded one (the same number unless a call returned another). */
    int fd(Integer recorded) {
        if (recorded == null) {
            return -1;
        }
        return fds.getOrDefault(recorded, recorded);
    }

    /** A call that returned an fd: {@code recorded} in the trace is {@code replayed} here. */
    void mapFd(long recorded, long replayed) {
        if (recorded >= 0 && replayed >= 0 && recorded != replayed) {
            fds.put((int) recorded, (int) replayed);
        } else if (recorded >= 0) {
            fds.remove((int) recorded);
        }
    }

    void mapRegion(long recordedStart, long length, long replayStart) {
        regions.put(recordedStart, new long[] {length, replayStart});
    }

    void unmapRegion(long recordedStart) {
        regions.remove(recordedStart);
    }

    /**
     * The replay's address for recorded user address {@code addr} of a range {@code length} long:
     * inside a mapping the trace made, the same offset in the replay's; elsewhere anonymous memory
     * mapped now for the range, so that the kernel finds memory where the VMM had it.
     */
    long userAddress(long addr, long length) {
        var e = regions.floorEntry(addr);
        if (e != null && addr - e.getKey() < e.getValue()[0]) {
            return e.getValue()[1] + (addr - e.getKey());
        }
        if (length <= 0) {
            return addr;
        }
        long start = addr & -UserMemory.PAGE_SIZE;
        long len = UserMemory.alignUp(addr + length - start, UserMemory.PAGE_SIZE);
        long mapped = mem().mapAnonymous(len, UserMemory.PAGE_SIZE);
        if (mapped < 0) {
            return addr;
        }
        mapRegion(start, len, mapped);
        return mapped + (addr - start);
    }

    /**
     * A zero-filled buffer for one call's struct, given back by {@link #endCall()}: a buffer of the
     * same size a call before used is zeroed and handed out again (the VMM's own structs live on its
     * stack, at the same addresses call after call), else one is allocated.
     */
    long callBuffer(long size) {
        long n = Math.max(8, size);
        ArrayDeque<Long> free = spare.get(n);
        Long again = free == null ? null : free.pollLast();
        long a;
        if (again != null) {
            a = again;
            spareCount--;
            mem().zero(a, n);
        } else {
            a = mem().malloc(n);
        }
        callAllocations.add(new long[] {a, n});
        return a;
    }

    void endCall() {
        for (long[] a : callAllocations) {
            if (spareCount < MAX_SPARE && a[1] <= MAX_SPARE_SIZE) {
                spare.computeIfAbsent(a[1], k -> new ArrayDeque<>()).addLast(a[0]);
                spareCount++;
            } else {
                mem().free(a[0]);
            }
        }
        callAllocations.clear();
    }

    /** A buffer of at least {@code size} bytes for read/write data, reused call after call. */
    long scratch(long size) {
        if (size > scratchSize) {
            if (scratch != 0) {
                mem().free(scratch);
            }
            scratchSize = Math.max(size, 1 << 16);
            scratch = mem().malloc(scratchSize);
        }
        return scratch;
    }

    /**
     * The buffer the recording had at {@code recordedAddr}, for a dirty bitmap of {@code size} bytes
     * reported for {@code object}. Its content carries over between calls on different objects (QEMU
     * reports several devices into one buffer) and is cleared when the same object reports into it
     * again (a new sync: QEMU allocates a zeroed bitmap per sync). A VMM that allocates each sync's
     * bitmap anew leaves a new address per sync: once the buffers hold more than
     * {@link #maxBufferBytes} together, or there are more than {@value #MAX_BITMAP_BUFFERS}, those
     * used least recently are freed (a freed address used again starts zeroed, as the VMM's new
     * bitmap did), so a replay's memory does not grow with the number of syncs.
     */
    long bitmapBuffer(long recordedAddr, long size, String object) {
        Buffer b = buffers.computeIfAbsent(recordedAddr, a -> new Buffer());
        if (b.addr == 0 || b.size < size) {
            long fresh = mem().malloc(Math.max(8, size));
            if (b.addr != 0) {
                byte[] old = mem().copyFrom(b.addr, (int) b.size);
                mem().write(fresh, old, 0, old.length);
                mem().free(b.addr);
                bufferBytes -= b.size;
            }
            b.addr = fresh;
            b.size = Math.max(8, size);
            bufferBytes += b.size;
            b.objects.add(String.valueOf(object));
            freeOldBuffers(b);
        } else if (!b.objects.add(String.valueOf(object))) {
            mem().zero(b.addr, b.size);
            b.objects.clear();
            b.objects.add(String.valueOf(object));
        }
        return b.addr;
    }

    /** Frees the least recently used bitmap buffers while they hold too much, never {@code keep} (the newest). */
    private void freeOldBuffers(Buffer keep) {
        Iterator<Buffer> oldest = buffers.values().iterator();
        while ((bufferBytes > maxBufferBytes || buffers.size() > MAX_BITMAP_BUFFERS) && oldest.hasNext()) {
            Buffer b = oldest.next();
            if (b == keep) {
                return;
            }
            mem().free(b.addr);
            bufferBytes -= b.size;
            oldest.remove();
        }
    }
}
