package org.migtrace.sim.vmm;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIGRATION;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIG_DATA_SIZE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_FEATURE_MIG_STATE;
import static org.migtrace.uapi.Structs.VFIO_DEVICE_INFO;
import static org.migtrace.uapi.Structs.VFIO_PRECOPY_INFO;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO;

import java.util.List;
import java.util.Optional;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.DeviceFeature;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.StructLayout;

/**
 * The device ioctls as QEMU's {@code hw/vfio} issues them, typed: each call builds its struct in
 * the VMM's memory with {@link UStruct}, makes the syscall through a {@link SimThread}, and returns
 * a record with the raw return value ({@code >= 0} or {@code -errno}) and the decoded outputs.
 * Nothing is hidden: failures come back as the kernel returned them.
 */
public final class DeviceCalls {
    private static final int HDR = VFIO_DEVICE_FEATURE.size();

    private final SimThread thread;
    private final int fd;

    /** Calls on device fd {@code deviceFd} from {@code thread}. */
    public DeviceCalls(SimThread thread, int deviceFd) {
        this.thread = thread;
        this.fd = deviceFd;
    }

    public int fd() {
        return fd;
    }

    private UserMemory mem() {
        return thread.process().memory();
    }

    // ---- VFIO_DEVICE_FEATURE

    /** One VFIO_DEVICE_FEATURE call: the return value and the payload as the kernel left it. */
    public record Feature(long ret, byte[] payload) {
    }

    /**
     * {@code VFIO_DEVICE_FEATURE} with {@code flags} (index and GET/SET/PROBE), {@code payload}
     * after the 8-byte header, and {@code argsz} as given (normally 8 + payload length).
     */
    public Feature feature(int flags, byte[] payload, long argsz) {
        try (UStruct s = new UStruct(mem(), VFIO_DEVICE_FEATURE, Math.max(payload.length, 1))) {
            s.set("argsz", argsz).set("flags", flags & 0xFFFF_FFFFL);
            s.payload(payload);
            long ret = thread.ioctl(fd, Ioctl.VFIO_DEVICE_FEATURE.number(), s.addr());
            byte[] all = s.bytes();
            byte[] out = new byte[payload.length];
            System.arraycopy(all, HDR, out, 0, out.length);
            return new Feature(ret, out);
        }
    }

    private Feature feature(DeviceFeature f, int ops, StructLayout payload, byte[] in) {
        return feature(f.index() | ops, in, HDR + payload.size());
    }

    /** {@code PROBE} of feature {@code f} for the ops in {@code ops} (GET and/or SET): 0 when supported. */
    public long probe(DeviceFeature f, int ops) {
        return feature(f.index() | DeviceFeature.PROBE | ops, new byte[0], HDR).ret();
    }

    /** {@code VFIO_DEVICE_FEATURE_MIGRATION} GET. */
    public record Migration(long ret, long flags) {
    }

    public Migration migration() {
        var l = VFIO_DEVICE_FEATURE_MIGRATION;
        Feature f = feature(DeviceFeature.MIGRATION, DeviceFeature.GET, l, new byte[l.size()]);
        return new Migration(f.ret(), l.field("flags").get(f.payload(), 0));
    }

    /** {@code VFIO_DEVICE_FEATURE_MIG_DEVICE_STATE}: the state and fd the kernel wrote back. */
    public record MigStateResult(long ret, long rawState, int dataFd) {
        /** The state, when the value names one. */
        public Optional<MigState> state() {
            return MigState.of(rawState);
        }
    }

    public MigStateResult getState() {
        return migState(DeviceFeature.GET, 0);
    }

    public MigStateResult setState(MigState target) {
        return setState(target.value());
    }

    /** SET with a raw {@code device_state} value (out-of-range values included). */
    public MigStateResult setState(long rawState) {
        return migState(DeviceFeature.SET, rawState);
    }

    private MigStateResult migState(int op, long raw) {
        var l = VFIO_DEVICE_FEATURE_MIG_STATE;
        byte[] in = new byte[l.size()];
        l.field("device_state").put(in, 0, raw);
        l.field("data_fd").put(in, 0, -1);
        Feature f = feature(DeviceFeature.MIG_DEVICE_STATE, op, l, in);
        return new MigStateResult(f.ret(), l.field("device_state").get(f.payload(), 0),
                (int) l.field("data_fd").get(f.payload(), 0));
    }

    /** {@code VFIO_DEVICE_FEATURE_MIG_DATA_SIZE} GET. */
    public record DataSize(long ret, long stopCopyLength) {
    }

    public DataSize dataSize() {
        var l = VFIO_DEVICE_FEATURE_MIG_DATA_SIZE;
        Feature f = feature(DeviceFeature.MIG_DATA_SIZE, DeviceFeature.GET, l, new byte[l.size()]);
        return new DataSize(f.ret(), l.field("stop_copy_length").get(f.payload(), 0));
    }

    // ---- data fd

    /** {@code VFIO_MIG_GET_PRECOPY_INFO} on a data fd ({@code flags} as the kernel left it). */
    public record PrecopyInfo(long ret, long initialBytes, long dirtyBytes, long flags) {
    }

    public PrecopyInfo precopyInfo(int dataFd) {
        return precopyInfo(dataFd, VFIO_PRECOPY_INFO.size(), 0);
    }

    /** PRECOPY_INFO with a chosen {@code argsz} and input {@code flags}. */
    public PrecopyInfo precopyInfo(int dataFd, long argsz, long flags) {
        try (UStruct s = new UStruct(mem(), VFIO_PRECOPY_INFO)) {
            s.set("argsz", argsz).set("flags", flags);
            long ret = thread.ioctl(dataFd, Ioctl.VFIO_MIG_GET_PRECOPY_INFO.number(), s.addr());
            return new PrecopyInfo(ret, s.get("initial_bytes"), s.get("dirty_bytes"), s.get("flags"));
        }
    }

    /** A read loop: the last return value (0 at EOF, {@code -errno} otherwise), bytes read and calls made. */
    public record Drain(long lastRet, long bytes, int reads) {
    }

    /**
     * Reads a data fd into {@code buf} in chunks of {@code chunk} bytes until a read returns 0 or
     * an error (QEMU's {@code vfio_save_block} loop); each chunk overwrites the buffer.
     */
    public Drain drain(int dataFd, long buf, long chunk) {
        long total = 0;
        int reads = 0;
        while (true) {
            long r = thread.read(dataFd, buf, chunk);
            reads++;
            if (r <= 0) {
                return new Drain(r, total, reads);
            }
            total += r;
        }
    }

    /** Writes {@code len} bytes at {@code buf} to a data fd, looping on short writes: bytes written or {@code -errno}. */
    public long writeAll(int dataFd, long buf, long len) {
        long done = 0;
        while (done < len) {
            long r = thread.write(dataFd, buf + done, len - done);
            if (r <= 0) {
                return r < 0 ? r : done;
            }
            done += r;
        }
        return done;
    }

    // ---- DMA logging

    /** One {@code struct vfio_device_feature_dma_logging_range}. */
    public record Range(long iova, long length) {
    }

    /** {@code DMA_LOGGING_START}: the return value and the page size the driver wrote back. */
    public record LogStart(long ret, long pageSize) {
    }

    public LogStart loggingStart(long pageSize, List<Range> ranges) {
        var rl = VFIO_DEVICE_FEATURE_DMA_LOGGING_RANGE;
        long array = mem().malloc(Math.max(1, (long) ranges.size() * rl.size()));
        try {
            byte[] r = new byte[rl.size()];
            for (int i = 0; i < ranges.size(); i++) {
                rl.field("iova").put(r, 0, ranges.get(i).iova());
                rl.field("length").put(r, 0, ranges.get(i).length());
                mem().write(array + (long) i * rl.size(), r, 0, r.length);
            }
            return loggingStart(pageSize, ranges.size(), array);
        } finally {
            mem().free(array);
        }
    }

    /** START with a raw range count and array pointer (for bad-pointer and over-limit calls). */
    public LogStart loggingStart(long pageSize, long numRanges, long rangesPtr) {
        var l = VFIO_DEVICE_FEATURE_DMA_LOGGING_CONTROL;
        byte[] in = new byte[l.size()];
        l.field("page_size").put(in, 0, pageSize);
        l.field("num_ranges").put(in, 0, numRanges);
        l.field("ranges").put(in, 0, rangesPtr);
        Feature f = feature(DeviceFeature.DMA_LOGGING_START, DeviceFeature.SET, l, in);
        return new LogStart(f.ret(), l.field("page_size").get(f.payload(), 0));
    }

    public long loggingStop() {
        return feature(DeviceFeature.DMA_LOGGING_STOP.index() | DeviceFeature.SET, new byte[0], HDR).ret();
    }

    /** {@code DMA_LOGGING_REPORT}: the return value and the bitmap (bit n ↔ {@code iova + n * pageSize}). */
    public record LogReport(long ret, Bitmap bits) {
    }

    /** REPORT into a zeroed bitmap the call allocates and frees. */
    public LogReport loggingReport(long iova, long length, long pageSize) {
        long npages = pageSize > 0 && Long.bitCount(pageSize) == 1 ? Long.divideUnsigned(length, pageSize) : 0;
        long words = Math.max(1, Bitmap.wordsFor(npages));
        long bitmap = mem().malloc(words * 8);
        try {
            long ret = loggingReport(iova, length, pageSize, bitmap);
            Bitmap bits = new Bitmap(words * 64);
            mem().readLongs(bitmap, bits.words(), 0, (int) words);
            return new LogReport(ret, bits);
        } finally {
            mem().free(bitmap);
        }
    }

    /** REPORT into a bitmap at {@code bitmapPtr}: the return value. */
    public long loggingReport(long iova, long length, long pageSize, long bitmapPtr) {
        var l = VFIO_DEVICE_FEATURE_DMA_LOGGING_REPORT;
        byte[] in = new byte[l.size()];
        l.field("iova").put(in, 0, iova);
        l.field("length").put(in, 0, length);
        l.field("page_size").put(in, 0, pageSize);
        l.field("bitmap").put(in, 0, bitmapPtr);
        return feature(DeviceFeature.DMA_LOGGING_REPORT, DeviceFeature.GET, l, in).ret();
    }

    // ---- plain device ioctls

    public long reset() {
        return thread.ioctl(fd, Ioctl.VFIO_DEVICE_RESET.number(), 0);
    }

    /** {@code VFIO_DEVICE_GET_INFO}. */
    public record DeviceInfo(long ret, long flags, long numRegions, long numIrqs) {
    }

    public DeviceInfo info() {
        try (UStruct s = new UStruct(mem(), VFIO_DEVICE_INFO)) {
            s.set("argsz", VFIO_DEVICE_INFO.size());
            long ret = thread.ioctl(fd, Ioctl.VFIO_DEVICE_GET_INFO.number(), s.addr());
            return new DeviceInfo(ret, s.get("flags"), s.get("num_regions"), s.get("num_irqs"));
        }
    }

    /** {@code VFIO_DEVICE_GET_REGION_INFO} (no room for capabilities: {@code argsz} says what they need). */
    public record RegionInfo(long ret, long argsz, long flags, long size, long offset, long capOffset) {
    }

    public RegionInfo regionInfo(int index) {
        try (UStruct s = new UStruct(mem(), VFIO_REGION_INFO)) {
            s.set("argsz", VFIO_REGION_INFO.size()).set("index", index);
            long ret = thread.ioctl(fd, Ioctl.VFIO_DEVICE_GET_REGION_INFO.number(), s.addr());
            return new RegionInfo(ret, s.get("argsz"), s.get("flags"), s.get("size"), s.get("offset"),
                    s.get("cap_offset"));
        }
    }
}
