package org.migtrace.sim.vmm;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_MIGRATION_INFO;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;
import org.migtrace.uapi.V1State;

/**
 * What QEMU does with a v1 device through its device fd ({@code hw/vfio/migration.c} of QEMU 5.2 –
 * 7.0): find the migration region by its type capability, change
 * device_state by read-modify-write, read pending_bytes, save one buffer, load one buffer. Every call
 * goes through the syscall boundary of one thread, in QEMU's order, so a recorder sees what it would
 * see on a real host.
 *
 * <p>Two generations differ in how they touch the region ({@link Qemu}); results carry the raw
 * {@code -errno} convention ({@code ret < 0}), as the helpers' {@code int} returns do.
 */
public final class V1Calls {
    private static final int DEVICE_STATE = VFIO_DEVICE_MIGRATION_INFO.offset("device_state");
    private static final int PENDING_BYTES = VFIO_DEVICE_MIGRATION_INFO.offset("pending_bytes");
    private static final int DATA_OFFSET = VFIO_DEVICE_MIGRATION_INFO.offset("data_offset");
    private static final int DATA_SIZE = VFIO_DEVICE_MIGRATION_INFO.offset("data_size");

    /** Which QEMU's v1 code to behave like. */
    public enum Qemu {
        /**
         * QEMU 5.2: one pread/pwrite per data section; a failed device_state write whose re-read shows
         * a non-error state is reported as success (the re-read state is taken as the new state).
         */
        V5_2,
        /**
         * QEMU 6.0 – 7.0: {@code vfio_mig_rw} splits every access into naturally aligned pieces of at
         * most 8 bytes; a failed write returns its error, and an error state (or a failed re-read)
         * is fatal ({@code hw_error}).
         */
        V6_0_TO_7_0
    }

    /**
     * Outcome of {@link #setState}: {@code ret} as {@code vfio_migration_set_state} returns it, the
     * device_state value it ended on (written, or re-read after a failure), and whether QEMU would
     * have stopped with {@code hw_error} (6.0 – 7.0: the device reported its error state).
     */
    public record SetStateResult(long ret, long deviceState, boolean hwError) {
    }

    /** One {@code vfio_save_buffer}: {@code ret < 0} on failure, else the chunk it read. */
    public record SaveRound(long ret, long dataOffset, long dataSize, byte[] data) {
    }

    /** A live mmap of one sparse area of the migration region. */
    private record Mapping(long areaOffset, long size, long addr) {
    }

    private final SimThread thread;
    private final int fd;
    private final Qemu qemu;
    private final UserMemory mem;
    private final long scratch;
    private final List<Mapping> mmaps = new ArrayList<>();
    private VfioRegions.Info region;
    private long deviceState = V1State.RUNNING;
    private long pendingBytes;

    /** QEMU 6.0 – 7.0 on {@code fd}, a device fd of {@code thread}'s process. */
    public V1Calls(SimThread thread, int fd) {
        this(thread, fd, Qemu.V6_0_TO_7_0);
    }

    public V1Calls(SimThread thread, int fd, Qemu qemu) {
        this.thread = thread;
        this.fd = fd;
        this.qemu = qemu;
        this.mem = thread.process().memory();
        this.scratch = mem.malloc(8);
    }

    /** The migration region found by {@link #findMigrationRegion()}, or null. */
    public VfioRegions.Info region() {
        return region;
    }

    /** {@code migration->device_state}: the last state {@link #setState} established. */
    public long cachedDeviceState() {
        return deviceState;
    }

    /** {@code migration->pending_bytes}: the last value {@link #updatePending()} read (0 after a failure). */
    public long cachedPendingBytes() {
        return pendingBytes;
    }

    // ---- discovery

    /**
     * {@code vfio_migration_probe}: {@code vfio_get_dev_region_info(TYPE_MIGRATION, SUBTYPE_MIGRATION)}
     * (see {@link VfioRegions#findByType}). 0, or {@code -ENODEV} when the device has no migration
     * region (QEMU then adds a migration blocker).
     */
    public long findMigrationRegion() {
        VfioRegions.Info r = VfioRegions.findByType(thread, fd, Structs.VFIO_REGION_TYPE_MIGRATION,
                Structs.VFIO_REGION_SUBTYPE_MIGRATION);
        if (r.ret() < 0) {
            return r.ret();
        }
        region = r;
        return 0;
    }

    /**
     * {@code vfio_region_mmap} of the migration region (called from {@code vfio_save_setup} and
     * {@code vfio_load_setup}): each sparse area, or the whole region when it is mmap-able without a
     * sparse capability. On a failure the areas mapped so far are unmapped and the error returned
     * (QEMU 6.0+ then falls back to pread/pwrite).
     */
    public long mmapRegion() {
        requireRegion();
        if ((region.flags() & Structs.VFIO_REGION_INFO_FLAG_MMAP) == 0 || !mmaps.isEmpty()) {
            return 0;
        }
        List<long[]> areas = region.sparseAreas();
        if (region.cap(Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP) == null) {
            areas = List.of(new long[] {0, region.size()});
        }
        for (long[] a : areas) {
            if (a[1] == 0) {
                continue;
            }
            long addr = thread.mmap(a[1], Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_SHARED, fd,
                    region.offset() + a[0]);
            if (addr < 0) {
                unmapRegion();
                return addr;
            }
            mmaps.add(new Mapping(a[0], a[1], addr));
        }
        return 0;
    }

    /** {@code vfio_region_unmap}. */
    public void unmapRegion() {
        for (Mapping m : mmaps) {
            thread.munmap(m.addr(), m.size());
        }
        mmaps.clear();
    }

    // ---- device_state

    /** Reads device_state: its value, or {@code -errno}. */
    public long readDeviceState() {
        long ret = regAccess(DEVICE_STATE, 4, false);
        return ret < 0 ? ret : mem.getLong(scratch) & 0xFFFF_FFFFL;
    }

    /**
     * {@code vfio_migration_set_state(mask, value)}: read device_state, keep the bits in
     * {@code mask}, set {@code value}; refuse locally with {@code -EINVAL} what the (merged)
     * {@code VFIO_DEVICE_STATE_VALID} rejects; write it; on a failed write re-read the state and
     * judge it with {@code VFIO_DEVICE_STATE_IS_ERROR} as {@link Qemu} says.
     */
    public SetStateResult setState(int mask, int value) {
        long cur = readDeviceState();
        if (cur < 0) {
            return new SetStateResult(cur, deviceState, false);
        }
        long next = ((cur & mask) | value) & 0xFFFF_FFFFL;
        if (!V1State.valid(next, V1State.Rules.MERGED)) {
            return new SetStateResult(Errno.EINVAL.ret(), cur, false);
        }
        mem.putLong(scratch, next);
        long ret = regAccess(DEVICE_STATE, 4, true);
        if (ret < 0) {
            long reread = readDeviceState();
            boolean error = reread >= 0 && V1State.isError(reread, V1State.Rules.MERGED);
            if (qemu == Qemu.V6_0_TO_7_0) {
                if (reread < 0 || error) {
                    return new SetStateResult(reread < 0 ? reread : Errno.EIO.ret(), reread, true);
                }
                return new SetStateResult(ret, reread, false);
            }
            if (reread < 0) {
                return new SetStateResult(reread, deviceState, false);
            }
            if (error) {
                return new SetStateResult(Errno.EFAULT.ret(), reread, false);
            }
            next = reread; // QEMU 5.2 falls through: the failed write counts as done
        }
        deviceState = next;
        return new SetStateResult(0, next, false);
    }

    // ---- save and load

    /** {@code vfio_update_pending}: pending_bytes, or {@code -errno} (then the cached value is 0). */
    public long updatePending() {
        long ret = regAccess(PENDING_BYTES, 8, false);
        if (ret < 0) {
            pendingBytes = 0;
            return ret;
        }
        pendingBytes = mem.getLong(scratch);
        return pendingBytes;
    }

    /**
     * {@code vfio_save_buffer}: read data_offset (the trigger), data_size, then the chunk, section by
     * section: through the mmap where an area covers it, else by reads of the data window.
     */
    public SaveRound saveBuffer() {
        requireRegion();
        long ret = regAccess(DATA_OFFSET, 8, false);
        if (ret < 0) {
            return new SaveRound(ret, 0, 0, null);
        }
        long dataOffset = mem.getLong(scratch);
        ret = regAccess(DATA_SIZE, 8, false);
        if (ret < 0) {
            return new SaveRound(ret, dataOffset, 0, null);
        }
        long dataSize = mem.getLong(scratch);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long off = dataOffset;
        for (long left = dataSize; left > 0; ) {
            long[] sec = section(off, left);
            if (sec[1] <= 0 || sec[1] > Integer.MAX_VALUE - 8) {
                return new SaveRound(Errno.ENOMEM.ret(), dataOffset, dataSize, null); // g_try_malloc fails
            }
            byte[] bytes;
            if (sec[0] != 0) {
                bytes = mem.copyFrom(sec[0], (int) sec[1]);
            } else {
                long buf = mem.malloc(sec[1]);
                ret = dataAccess(buf, sec[1], off, false);
                bytes = mem.copyFrom(buf, (int) sec[1]);
                mem.free(buf);
                if (ret < 0) {
                    return new SaveRound(ret, dataOffset, dataSize, null);
                }
            }
            out.writeBytes(bytes);
            left -= sec[1];
            off += sec[1];
        }
        return new SaveRound(0, dataOffset, dataSize, out.toByteArray());
    }

    /**
     * Loads one chunk as {@code vfio_load_state} does for a {@code DEV_DATA_STATE} record (a chunk of
     * size 0 is skipped without touching the device): read data_offset, write the data, write
     * data_size. QEMU 6.0+ ({@code vfio_load_buffer}) splits a chunk that would run past the region
     * end into several rounds. 0 or {@code -errno}.
     */
    public long loadBuffer(byte[] data) {
        requireRegion();
        long remaining = data.length;
        int consumed = 0;
        while (remaining > 0) {
            long ret = regAccess(DATA_OFFSET, 8, false);
            if (ret < 0) {
                return ret;
            }
            long off = mem.getLong(scratch);
            long size = remaining;
            if (qemu == Qemu.V6_0_TO_7_0 && off + remaining > region.size()) {
                size = region.size() - off;
                if (size <= 0) {
                    return Errno.EINVAL.ret(); // QEMU's unsigned arithmetic would not stop here
                }
            }
            remaining -= size;
            long report = size;
            for (long left = size; left > 0; ) {
                long[] sec = section(off, left);
                if (sec[1] <= 0 || sec[1] > Integer.MAX_VALUE - 8) {
                    return Errno.ENOMEM.ret();
                }
                ret = writeSection(sec, data, consumed, off);
                if (ret < 0) {
                    return ret;
                }
                consumed += (int) sec[1];
                left -= sec[1];
                off += sec[1];
            }
            mem.putLong(scratch, report);
            ret = regAccess(DATA_SIZE, 8, true);
            if (ret < 0) {
                return ret;
            }
        }
        return 0;
    }

    private long writeSection(long[] sec, byte[] data, int from, long off) {
        if (sec[0] != 0) {
            mem.write(sec[0], data, from, (int) sec[1]);
            return 0;
        }
        long buf = mem.malloc(sec[1]);
        mem.write(buf, data, from, (int) sec[1]);
        long ret = dataAccess(buf, sec[1], off, true);
        mem.free(buf);
        return ret;
    }

    /**
     * {@code get_data_section_size}: {@code {address, size}} of the next piece of a chunk at region
     * offset {@code dataOffset} with {@code dataSize} bytes left: inside a mapped area, the mapping
     * (address ≠ 0) up to the area's end; outside, a trapped piece up to the next area (0.
     * address). QEMU 5.2 neither clamps a trapped piece to {@code dataSize} nor, without mmaps, to
     * the region.
     */
    private long[] section(long dataOffset, long dataSize) {
        if (mmaps.isEmpty()) {
            return new long[] {0, qemu == Qemu.V5_2 ? dataSize : Math.min(dataSize, region.size() - dataOffset)};
        }
        long limit = 0;
        for (Mapping m : mmaps) {
            if (dataOffset >= m.areaOffset() && dataOffset < m.areaOffset() + m.size()) {
                return new long[] {m.addr() + dataOffset - m.areaOffset(),
                    Math.min(dataSize, m.areaOffset() + m.size() - dataOffset)};
            }
            if (dataOffset < m.areaOffset() && (limit == 0 || limit > m.areaOffset())) {
                limit = m.areaOffset();
            }
        }
        if (limit == 0) {
            return new long[] {0, dataSize};
        }
        return new long[] {0, qemu == Qemu.V5_2 ? limit - dataOffset : Math.min(dataSize, limit - dataOffset)};
    }

    // ---- access primitives

    /** A register access of {@code width} bytes through {@link #scratch}: 0 or {@code -errno}. */
    private long regAccess(int field, int width, boolean write) {
        requireRegion();
        return rw(scratch, width, region.offset() + field, write);
    }

    /** A data-window access of {@code count} bytes at region offset {@code off}. */
    private long dataAccess(long buf, long count, long off, boolean write) {
        return rw(buf, count, region.offset() + off, write);
    }

    /**
     * QEMU 6.0+ {@code vfio_mig_rw}: pieces of 8, 4, 2 or 1 bytes as size and alignment allow, each
     * through {@code vfio_mig_access} (a short transfer is {@code -EINVAL}). QEMU 5.2: one call; a
     * short transfer is {@code -EINVAL} too.
     */
    private long rw(long buf, long count, long fileOffset, boolean write) {
        long done = 0;
        while (done < count) {
            long left = count - done;
            long off = fileOffset + done;
            long n = qemu == Qemu.V5_2 ? left : piece(left, off);
            long ret = write ? thread.pwrite(fd, buf + done, n, off) : thread.pread(fd, buf + done, n, off);
            if (ret < n) {
                return ret < 0 ? ret : Errno.EINVAL.ret();
            }
            done += n;
        }
        return 0;
    }

    private static long piece(long left, long off) {
        if (left >= 8 && off % 8 == 0) {
            return 8;
        } else if (left >= 4 && off % 4 == 0) {
            return 4;
        }
        return left >= 2 && off % 2 == 0 ? 2 : 1;
    }

    private void requireRegion() {
        if (region == null) {
            throw new IllegalStateException("no migration region: call findMigrationRegion() first");
        }
    }
}
