package org.migtrace.sim.internal.vendor;

import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.PRE_COPY_P2P;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.RUNNING_P2P;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.StructLayout;

/**
 * The mtty sample driver ({@code samples/vfio-mdev/mtty.c}): all three migration flags, no-op DMA
 * logging ops, and {@code struct mtty_data} as its stream: a 24-byte header {magic
 * {@value #MAGIC_HEX}, major 1, minor 0, nr_ports, flags 0} followed by one 36-byte
 * {@code struct serial_port} per port (60 or 96 bytes in all, the MIG_DATA_SIZE answer).
 *
 * <p>Arcs ({@code mtty_step_state}): the P2P arcs are no-ops; RUNNING→PRE_COPY,
 * RUNNING_P2P→PRE_COPY_P2P and STOP→STOP_COPY open a save file with the header filled, and entering
 * STOP_COPY (from STOP, or from PRE_COPY_P2P on the same file, returning no fd) appends the ports;
 * STOP→RESUMING opens the resume file; RESUMING→STOP loads (EINVAL with fewer than the full size
 * written) and closes; leaving PRE_COPY(_P2P) or STOP_COPY closes the files. Other arcs: EINVAL.
 *
 * <p>Save file: at the end of the data a read returns 0, in pre-copy as well (the uAPI text asks
 * for ENOMSG; the sample does not). PRECOPY_INFO: {@code initial_bytes = filled - pos},
 * {@code dirty_bytes = 0}. Resume file ({@code mtty_resume_write}): writing past the full size →
 * ENOMEM (before the disabled check); the write that completes the 24-byte header validates it and
 * fails with EFAULT on a mismatch, its bytes counted all the same. mtty keeps its migration state
 * across close and open; a reset puts it in RUNNING and disables the files.
 */
final class MttyDevice extends V2MigrationDevice implements SaveSource, ResumeSink {
    static final long MAGIC = 0x7e9d09898c3e2c4eL;
    static final String MAGIC_HEX = "0x7e9d09898c3e2c4e";
    static final int MAJOR = 1;
    static final int MINOR = 0;
    static final StructLayout HEADER = StructLayout.struct("mtty_data")
            .u64("magic").u32("major_ver").u32("minor_ver").u32("nr_ports").u32("flags").build();
    /** {@code sizeof(struct serial_port)}. */
    static final int PORT_SIZE = 36;
    /** {@code offsetof(struct serial_port, max_fifo_size)}. */
    private static final int MAX_FIFO_SIZE_OFFSET = 33;
    private static final int MAX_FIFO_SIZE = 16;

    private final int ports;
    private final byte[] resumeData = new byte[HEADER.size() + 2 * PORT_SIZE];
    private long filled;

    MttyDevice(V2DeviceConfig config) {
        super(config);
        this.ports = config.mttyPorts();
    }

    /** {@code mtty_data_size}. */
    long dataSize() {
        return HEADER.size() + (long) ports * PORT_SIZE;
    }

    @Override
    public LogOps logOps() {
        return config.dmaLogging() ? NoopLogOps.INSTANCE : null;
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        disableFiles();
    }

    @Override
    public long getDataSize(KernelCtx ctx, long[] out) {
        out[0] = dataSize();
        return 0;
    }

    @Override
    protected SetStateResult step(KernelCtx ctx, MigState from, MigState to) {
        if ((from == RUNNING && to == RUNNING_P2P) || (from == RUNNING_P2P && (to == RUNNING || to == STOP))
                || (from == PRE_COPY && to == PRE_COPY_P2P) || (from == PRE_COPY_P2P && to == PRE_COPY)
                || (from == STOP && to == RUNNING_P2P)) {
            return SetStateResult.NONE;
        }
        if (from == RESUMING && to == STOP) {
            if (filled < dataSize()) {
                return SetStateResult.error(Errno.EINVAL.ret()); // mtty_load_state
            }
            disableFiles();
            return SetStateResult.NONE;
        }
        if ((from == PRE_COPY && to == RUNNING) || (from == PRE_COPY_P2P && to == RUNNING_P2P)
                || (from == STOP_COPY && to == STOP)) {
            disableFiles();
            return SetStateResult.NONE;
        }
        if ((from == RUNNING && to == PRE_COPY) || (from == RUNNING_P2P && to == PRE_COPY_P2P)
                || (from == STOP && to == STOP_COPY) || (from == PRE_COPY_P2P && to == STOP_COPY)) {
            return saveDeviceData(to);
        }
        if (from == STOP && to == RESUMING) {
            filled = 0;
            java.util.Arrays.fill(resumeData, (byte) 0);
            return SetStateResult.file(openResumeFile(this, () -> filled = 0));
        }
        return unsupportedArc();
    }

    /** {@code mtty_save_device_data}. */
    private SetStateResult saveDeviceData(MigState to) {
        SaveFile f = saving();
        if (f != null) {
            if (to == STOP_COPY) {
                appendPorts(f);
            }
            return SetStateResult.NONE;
        }
        f = openSaveFile(this);
        byte[] h = new byte[HEADER.size()];
        HEADER.field("magic").put(h, 0, MAGIC);
        HEADER.field("major_ver").put(h, 0, MAJOR);
        HEADER.field("minor_ver").put(h, 0, MINOR);
        HEADER.field("nr_ports").put(h, 0, ports);
        f.stream().append(h);
        if (to == STOP_COPY) {
            appendPorts(f);
        }
        return SetStateResult.file(f);
    }

    /** {@code mtty_save_state}: the ports as initialised ({@code max_fifo_size} = 16, the rest zero). */
    private void appendPorts(SaveFile f) {
        for (int i = 0; i < ports; i++) {
            byte[] p = new byte[PORT_SIZE];
            p[MAX_FIFO_SIZE_OFFSET] = MAX_FIFO_SIZE;
            f.stream().append(p);
        }
        f.markComplete();
    }

    // ---- save file

    @Override
    public long endOfData(KernelCtx ctx, SaveFile file) {
        return 0;
    }

    @Override
    public long precopyInfo(KernelCtx ctx, SaveFile file, long[] out) {
        if (state() != PRE_COPY && state() != PRE_COPY_P2P) {
            return Errno.EINVAL.ret();
        }
        if (file.disabled()) {
            return Errno.ENODEV.ret();
        }
        out[0] = file.unread();
        out[1] = 0;
        return 0;
    }

    // ---- resume file

    @Override
    public long write(KernelCtx ctx, ResumeFile file, long buf, long count) {
        if (file.position() + count > dataSize()) {
            return Errno.ENOMEM.ret();
        }
        if (file.disabled()) {
            return Errno.ENODEV.ret();
        }
        byte[] b = ctx.copyFromUser(buf, (int) count);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        System.arraycopy(b, 0, resumeData, (int) file.position(), (int) count);
        file.advance(count);
        long ret = count;
        int hdr = HEADER.size();
        if (filled < hdr && filled + count >= hdr && !headerValid()) {
            ret = Errno.EFAULT.ret();
        }
        filled += count;
        return ret;
    }

    private boolean headerValid() {
        return HEADER.field("magic").get(resumeData, 0) == MAGIC && HEADER.field("flags").get(resumeData, 0) == 0
                && HEADER.field("major_ver").get(resumeData, 0) == MAJOR
                && HEADER.field("minor_ver").get(resumeData, 0) == MINOR
                && HEADER.field("nr_ports").get(resumeData, 0) == ports;
    }
}
