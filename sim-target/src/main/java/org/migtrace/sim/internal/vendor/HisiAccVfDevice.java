package org.migtrace.sim.internal.vendor;

import static org.migtrace.uapi.MigState.PRE_COPY;
import static org.migtrace.uapi.MigState.RESUMING;
import static org.migtrace.uapi.MigState.RUNNING;
import static org.migtrace.uapi.MigState.STOP;
import static org.migtrace.uapi.MigState.STOP_COPY;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.vendor.V2DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.MigState;
import org.migtrace.uapi.MigrationFlag;
import org.migtrace.uapi.StructLayout;

/**
 * hisi-acc-vfio-pci ({@code drivers/vfio/pci/hisilicon/hisi_acc_vfio_pci.c}): STOP_COPY|PRE_COPY, no
 * P2P, no DMA logging. Its migration data is one fixed struct, {@code struct acc_vf_data} (176
 * bytes), whose first 40 ({@code QM_MATCH_SIZE}: magic, version, qp count, device id, isolation
 * state) are the "match data" sent in pre-copy.
 *
 * <p>Arcs ({@code hisi_acc_vf_set_device_state}): RUNNING→PRE_COPY opens a file holding the match
 * data; PRE_COPY→STOP_COPY and STOP→STOP_COPY (new file) stop the queue manager and fill the rest;
 * RUNNING→STOP stops, STOP→RUNNING starts; leaving the session states disables the files;
 * RESUMING→STOP loads (EINVAL unless exactly the match data or the whole struct arrived).
 *
 * <p>Save file: reads return 0 at the end of the data, in pre-copy too (no ENOMSG);
 * PRECOPY_INFO only in PRE_COPY ({@code initial_bytes = total - pos}, {@code dirty_bytes = 0}).
 * Resume file ({@code hisi_acc_vf_resume_write}): more than 176 bytes in all → ENOMEM (checked
 * before the disabled check); once 40 bytes are in, the match data is checked once per open of the
 * device ({@code match_done}), and a mismatch fails that write with EFAULT after counting its bytes.
 *
 * <p>Reset: {@code hisi_acc_vf_pci_aer_reset_done} returns early unless the migration flags are
 * exactly STOP_COPY. Since the driver advertises STOP_COPY|PRE_COPY, a {@code VFIO_DEVICE_RESET}
 * leaves the migration state and files alone on a current kernel; only open resets them. This is
 * the kernel's code as written (the check predates PRE_COPY support), modelled as such.
 */
final class HisiAccVfDevice extends V2MigrationDevice implements SaveSource, ResumeSink {
    static final int DATA_SIZE = 176;
    static final int MATCH_SIZE = 40;
    static final long MAGIC_V1 = 0xCDCDCDCDFEEDAACCL;
    static final long MAGIC_V2 = 0xAACCFEEDDECADEDEL;
    static final int MAJOR = 1;
    static final int MINOR = 0;
    /** Queue pairs the PF gave this VF ({@code pf_qm_get_qp_num}); the destination must have as many. */
    static final int QP_NUM = 8;
    static final int QM_READY = 1;

    /** The match part of {@code struct acc_vf_data}. */
    static final StructLayout MATCH = StructLayout.struct("acc_vf_data")
            .u64("acc_magic").u32("qp_num").u32("dev_id").u32("que_iso_cfg").u32("qp_base").u32("vf_qm_state")
            .u16("major_ver").u16("minor_ver").u32("qm_rsv_state0").u32("qm_rsv_state1").build();

    private final byte[] resumeData = new byte[DATA_SIZE];
    private long resumeTotal;
    private boolean matchDone;

    HisiAccVfDevice(V2DeviceConfig config) {
        super(config);
    }

    @Override
    public long openDevice(KernelCtx ctx) {
        runningAtOpen(ctx);
        matchDone = false;
        return 0;
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        disableFiles();
    }

    @Override
    public void resetDone(KernelCtx ctx) {
        if (migrationFlags() != MigrationFlag.STOP_COPY.bit()) {
            return; // hisi_acc_vf_pci_aer_reset_done: "migration_flags != VFIO_MIGRATION_STOP_COPY"
        }
        super.resetDone(ctx);
    }

    @Override
    public long getDataSize(KernelCtx ctx, long[] out) {
        out[0] = DATA_SIZE;
        return 0;
    }

    @Override
    protected SetStateResult step(KernelCtx ctx, MigState from, MigState to) {
        if (from == RUNNING && to == PRE_COPY) {
            SaveFile f = openSaveFile(this);
            f.stream().append(matchData(0));
            return SetStateResult.file(f);
        }
        if (from == PRE_COPY && to == STOP_COPY) {
            stateSave(saving());
            return SetStateResult.NONE;
        }
        if ((from == RUNNING && to == STOP) || (from == STOP && to == RUNNING)) {
            return SetStateResult.NONE; // vf_qm_func_stop / qm_dev_cmd_init
        }
        if (from == STOP && to == STOP_COPY) {
            SaveFile f = openSaveFile(this);
            f.stream().append(matchData(0));
            stateSave(f);
            return SetStateResult.file(f);
        }
        if ((from == STOP_COPY && to == STOP) || (from == PRE_COPY && to == RUNNING)) {
            disableFiles();
            return SetStateResult.NONE;
        }
        if (from == STOP && to == RESUMING) {
            resumeTotal = 0;
            java.util.Arrays.fill(resumeData, (byte) 0);
            return SetStateResult.file(openResumeFile(this, () -> resumeTotal = 0));
        }
        if (from == RESUMING && to == STOP) {
            if (resumeTotal != MATCH_SIZE && resumeTotal < DATA_SIZE) {
                return SetStateResult.error(Errno.EINVAL.ret()); // vf_qm_load_data
            }
            disableFiles();
            return SetStateResult.NONE;
        }
        return unsupportedArc();
    }

    /** The match data as {@code vf_qm_get_match_data} fills it. */
    private byte[] matchData(int qmState) {
        byte[] m = new byte[MATCH_SIZE];
        MATCH.field("acc_magic").put(m, 0, MAGIC_V2);
        MATCH.field("qp_num").put(m, 0, QP_NUM);
        MATCH.field("dev_id").put(m, 0, config.modelId());
        MATCH.field("vf_qm_state").put(m, 0, qmState);
        MATCH.field("major_ver").put(m, 0, MAJOR);
        MATCH.field("minor_ver").put(m, 0, MINOR);
        return m;
    }

    /** {@code vf_qm_state_save}: the queue manager is ready, the whole struct is saved. */
    private void stateSave(SaveFile f) {
        f.stream().patch(0, matchData(QM_READY));
        f.stream().append(new byte[DATA_SIZE - MATCH_SIZE]);
        f.markComplete();
    }

    // ---- save file

    @Override
    public long endOfData(KernelCtx ctx, SaveFile file) {
        return 0;
    }

    @Override
    public long precopyInfo(KernelCtx ctx, SaveFile file, long[] out) {
        if (state() != PRE_COPY) {
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
        if (file.position() + count > DATA_SIZE) {
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
        resumeTotal += count;
        return checkMatch() ? count : Errno.EFAULT.ret();
    }

    /** {@code vf_qm_check_match}. */
    private boolean checkMatch() {
        if (resumeTotal < MATCH_SIZE || matchDone) {
            return true;
        }
        long magic = MATCH.field("acc_magic").get(resumeData, 0);
        boolean versionOk = magic == MAGIC_V1 || (magic == MAGIC_V2 && MATCH.field("major_ver").get(resumeData, 0) == MAJOR);
        if (!versionOk || MATCH.field("dev_id").get(resumeData, 0) != (config.modelId() & 0xFFFF_FFFFL)
                || MATCH.field("qp_num").get(resumeData, 0) != QP_NUM
                || MATCH.field("que_iso_cfg").get(resumeData, 0) != 0) {
            return false;
        }
        matchDone = true;
        return true;
    }
}
