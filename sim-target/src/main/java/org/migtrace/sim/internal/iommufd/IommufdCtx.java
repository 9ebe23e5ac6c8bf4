package org.migtrace.sim.internal.iommufd;

import java.util.TreeMap;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.VfioGroup;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * An open {@code /dev/iommu} ({@code struct iommufd_ctx}, {@code drivers/iommu/iommufd/main.c}):
 * the object table, the per-group state, the VFIO-compat IOAS, and the ioctl framing of
 * {@code iommufd_fops_ioctl}:
 * <ol>
 *   <li>{@code nr} outside the command table → the VFIO container compat ({@link VfioCompat});</li>
 *   <li>reading {@code size} faults → EFAULT;</li>
 *   <li>the table entry is for another command number (type or direction bits) → ENOTTY
 *       ({@code -ENOIOCTLCMD}, turned into ENOTTY by the VFS);</li>
 *   <li>{@code size} below the command's last mandatory member → EINVAL;</li>
 *   <li>{@code copy_struct_from_user}: non-zero bytes past the kernel's struct → E2BIG;</li>
 *   <li>the command itself.</li>
 * </ol>
 * The table and struct sizes are those of 6.7 (commands 0x80..0x8C, as {@link Structs} lays them
 * out); later kernels append commands, which a 6.7 kernel forwards to the compat path and so
 * answers ENOTTY.
 */
final class IommufdCtx implements KFile {
    /** {@code IOMMUFD_CMD_BASE}. */
    static final int CMD_BASE = 0x80;

    /** One {@code iommufd_ioctl_op}: the struct, its {@code min_size}, and the handler. */
    private record Op(Ioctl ioctl, StructLayout layout, int minSize, Handler handler) {
        Op(Ioctl ioctl, StructLayout layout, String last, Handler handler) {
            this(ioctl, layout, layout.offsetOfEnd(last), handler);
        }
    }

    @FunctionalInterface
    private interface Handler {
        long execute(Ucmd ucmd);
    }

    private static final Op[] OPS = {
        new Op(Ioctl.IOMMU_DESTROY, Structs.IOMMU_DESTROY, "id", IoasCmds::destroy),
        new Op(Ioctl.IOMMU_IOAS_ALLOC, Structs.IOMMU_IOAS_ALLOC, "out_ioas_id", IoasCmds::alloc),
        new Op(Ioctl.IOMMU_IOAS_ALLOW_IOVAS, Structs.IOMMU_IOAS_ALLOW_IOVAS, "allowed_iovas", IoasCmds::allowIovas),
        new Op(Ioctl.IOMMU_IOAS_COPY, Structs.IOMMU_IOAS_COPY, "src_iova", IoasCmds::copy),
        new Op(Ioctl.IOMMU_IOAS_IOVA_RANGES, Structs.IOMMU_IOAS_IOVA_RANGES, "out_iova_alignment", IoasCmds::iovaRanges),
        new Op(Ioctl.IOMMU_IOAS_MAP, Structs.IOMMU_IOAS_MAP, "iova", IoasCmds::map),
        new Op(Ioctl.IOMMU_IOAS_UNMAP, Structs.IOMMU_IOAS_UNMAP, "length", IoasCmds::unmap),
        new Op(Ioctl.IOMMU_OPTION, Structs.IOMMU_OPTION, "val64", IoasCmds::option),
        new Op(Ioctl.IOMMU_VFIO_IOAS, Structs.IOMMU_VFIO_IOAS, "__reserved", IoasCmds::vfioIoas),
        new Op(Ioctl.IOMMU_HWPT_ALLOC, Structs.IOMMU_HWPT_ALLOC, "__reserved", HwptCmds::alloc),
        new Op(Ioctl.IOMMU_GET_HW_INFO, Structs.IOMMU_HW_INFO, "__reserved", HwptCmds::hwInfo),
        new Op(Ioctl.IOMMU_HWPT_SET_DIRTY_TRACKING, Structs.IOMMU_HWPT_SET_DIRTY_TRACKING, "__reserved",
                HwptCmds::setDirtyTracking),
        new Op(Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP, Structs.IOMMU_HWPT_GET_DIRTY_BITMAP, "data",
                HwptCmds::getDirtyBitmap),
    };

    private final Iommufd subsystem;
    private final int serial;
    private final ObjectTable objects = new ObjectTable();
    private final TreeMap<Integer, IGroup> groups = new TreeMap<>();
    private Ioas compatIoas;
    /** {@code IOMMU_OPTION_RLIMIT_MODE}: 0 = per user (the /dev/iommu default), 1 = per mm. */
    private long accountMode;

    IommufdCtx(Iommufd subsystem, int serial) {
        this.subsystem = subsystem;
        this.serial = serial;
    }

    Iommufd subsystem() {
        return subsystem;
    }

    ObjectTable objects() {
        return objects;
    }

    long accountMode() {
        return accountMode;
    }

    void setAccountMode(long mode) {
        accountMode = mode;
    }

    /** {@code ictx->vfio_ioas}, or null. */
    Ioas compatIoas() {
        return compatIoas;
    }

    void setCompatIoas(Ioas ioas) {
        compatIoas = ioas;
    }

    /** {@code iommufd_object_remove} clears {@code vfio_ioas} when that IOAS goes. */
    void forgetCompatIoas(Ioas ioas) {
        if (compatIoas == ioas) {
            compatIoas = null;
        }
    }

    /** {@code iommufd_get_group}: this context's state for {@code group}, created on first use. */
    IGroup group(VfioGroup group) {
        return groups.computeIfAbsent(group.id(), id -> new IGroup(group));
    }

    /** Drops the group state once no bound device uses it ({@code iommufd_put_group}). */
    void putGroup(IGroup group) {
        if (group.unused()) {
            groups.remove(group.group().id());
        }
    }

    @Override
    public FdKind kind() {
        return FdKind.IOMMUFD;
    }

    @Override
    public String objectName() {
        return "iommufd" + serial;
    }

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        int nr = (int) (cmd & 0xFF);
        if (nr < CMD_BASE || nr - CMD_BASE >= OPS.length) {
            return VfioCompat.ioctl(ctx, this, cmd, arg);
        }
        byte[] sizeBytes = ctx.copyFromUser(arg, 4);
        if (sizeBytes == null) {
            return Errno.EFAULT.ret();
        }
        long userSize = Structs.IOMMU_DESTROY.field("size").get(sizeBytes, 0);
        Op op = OPS[nr - CMD_BASE];
        if (op.ioctl().number() != cmd) {
            return Errno.ENOTTY.ret();
        }
        if (userSize < op.minSize()) {
            return Errno.EINVAL.ret();
        }
        Ucmd[] ucmd = new Ucmd[1];
        long rc = Ucmd.read(ctx, this, arg, userSize, op.layout(), ucmd);
        if (rc != 0) {
            return rc;
        }
        return op.handler().execute(ucmd[0]);
    }

    /** {@code iommufd_fops_release}: destroys every object, leaves first. */
    @Override
    public void release(KernelCtx ctx) {
        objects.destroyAll();
        compatIoas = null;
    }
}
