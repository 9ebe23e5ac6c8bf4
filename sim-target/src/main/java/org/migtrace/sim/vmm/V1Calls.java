package org.migtrace.sim.vmm;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_MIGRATION_INFO;

import java.io.ByteArrayOutputStream;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;
import org.migtrace.uapi.V1State;

/**
 * What QEMU does with a v1 device through its device fd ({@code hw/vfio/migration.c} of QEMU 5.2 –
 * 7.0): find the migration region by its type capability, change device_state by
 * read-modify-write, read pending_bytes, save one buffer, load one buffer. Every call goes through
 * the syscall boundary of one thread, in QEMU's order, so a recorder sees what it would see on a
 * real host.
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

    private final SimThread thread;
    private final int fd;
    private final Qemu qemu;
    private final UserMemory mem;
    private final long scratch;
    private VfioRegions.Info region;
    private V1DataPath path;
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

    /**
     * {@code migration->pending_bytes = 0}: {@code vfio_save_iterate} forgets the value after each
     * buffer, so that its next call reads pending_bytes again.
     */
    public void forgetPending() {
        pendingBytes = 0;
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
        path = new V1DataPath(thread, fd, qemu, r);
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
        return path.mmap();
    }

    /** {@code vfio_region_unmap}. */
    public void unmapRegion() {
        requireRegion();
        path.unmap();
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
            return new SaveRound(ioError(ret), 0, 0, null);
        }
        long dataOffset = mem.getLong(scratch);
        ret = regAccess(DATA_SIZE, 8, false);
        if (ret < 0) {
            return new SaveRound(ioError(ret), dataOffset, 0, null);
        }
        long dataSize = mem.getLong(scratch);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[] err = new long[1];
        long off = dataOffset;
        for (long left = dataSize; left > 0; ) {
            long[] sec = path.section(off, left);
            if (sec[1] <= 0 || sec[1] > Integer.MAX_VALUE - 8) {
                return new SaveRound(Errno.ENOMEM.ret(), dataOffset, dataSize, null); // g_try_malloc fails
            }
            byte[] bytes = path.readSection(sec, off, err);
            if (bytes == null) {
                return new SaveRound(ioError(err[0]), dataOffset, dataSize, null);
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
                return ioError(ret);
            }
            long off = mem.getLong(scratch);
            long size = remaining;
            if (qemu == Qemu.V6_0_TO_7_0 && off + remaining > region.size()) {
                size = region.size() - off;
                if (size <= 0) {
                    return Errno.EINVAL.ret(); // QEMU's unsigned arithmetic would not stop here
                }
            }
            ret = loadRound(data, consumed, off, size);
            if (ret < 0) {
                return ret;
            }
            remaining -= size;
            consumed += (int) size;
        }
        return 0;
    }

    /** One {@code vfio_load_buffer} round: {@code size} bytes at region offset {@code off}, then data_size. */
    private long loadRound(byte[] data, int from, long off, long size) {
        for (long done = 0; done < size; ) {
            long[] sec = path.section(off + done, size - done);
            if (sec[1] <= 0 || sec[1] > Integer.MAX_VALUE - 8) {
                return Errno.ENOMEM.ret();
            }
            long ret = path.writeSection(sec, data, from + (int) done, off + done);
            if (ret < 0) {
                return ioError(ret);
            }
            done += sec[1];
        }
        mem.putLong(scratch, size);
        long ret = regAccess(DATA_SIZE, 8, true);
        return ret < 0 ? ioError(ret) : 0;
    }

    /** QEMU 5.2's save and load paths check {@code ret != size} and return {@code -EINVAL} for any failure. */
    private long ioError(long ret) {
        return qemu == Qemu.V5_2 ? Errno.EINVAL.ret() : ret;
    }

    /** A register access of {@code width} bytes through {@link #scratch}: 0 or {@code -errno}. */
    private long regAccess(int field, int width, boolean write) {
        requireRegion();
        return path.register(scratch, field, width, write);
    }

    private void requireRegion() {
        if (region == null) {
            throw new IllegalStateException("no migration region: call findMigrationRegion() first");
        }
    }
}
