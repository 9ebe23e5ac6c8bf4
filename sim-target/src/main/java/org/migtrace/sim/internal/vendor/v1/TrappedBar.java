package org.migtrace.sim.internal.vendor.v1;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.migtrace.sim.internal.kernel.KFile;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * BAR0 of a device that traps part of it while SAVING, as the 2020 i40e VF live-migration
 * proposal (Yan Zhao, "i40e/vf_migration: support dynamic trap of bar0") does to see the guest's
 * ring tail writes and so track the VF's DMA in software: BAR0 is described by a sparse-mmap
 * capability whose areas leave the trapped pages out while SAVING, an mmap of those pages is refused
 * then, and accesses to them arrive here through read/write, where the driver counts them. MMIO
 * contents are not modelled (reads return zero), as in {@link PciCore}.
 *
 * <p>The proposal asks QEMU, through an eventfd, to drop its mappings of the trapped area before
 * migration; a user that kept such a mapping would bypass the trap. This model refuses to set SAVING
 * while one exists ({@link #savingVeto}); the proposal names no errno for that case, so the answer is
 * {@code EBUSY}, the errno for "the resource is in use".
 */
final class TrappedBar implements DeviceRegion {
    private final long size;
    private final V1DeviceConfig.TrapArea trap;
    private final BooleanSupplier saving;
    private long trappedAccesses;

    TrappedBar(V1DeviceConfig config, BooleanSupplier saving) {
        this.size = config.bar0Size();
        this.trap = config.trap();
        this.saving = saving;
    }

    /** Accesses the driver intercepted in the trapped area while SAVING. */
    long trappedAccesses() {
        return trappedAccesses;
    }

    @Override
    public int index() {
        return PciCore.BAR0;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int flags() {
        return Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE
                | Structs.VFIO_REGION_INFO_FLAG_MMAP;
    }

    /** One area for the whole BAR; while SAVING, the areas around the trapped pages. */
    @Override
    public List<byte[]> capabilities() {
        List<long[]> areas = new ArrayList<>();
        if (!saving.getAsBoolean()) {
            areas.add(new long[] {0, size});
        } else {
            if (trap.offset() > 0) {
                areas.add(new long[] {0, trap.offset()});
            }
            if (trap.end() < size) {
                areas.add(new long[] {trap.end(), size - trap.end()});
            }
        }
        return List.of(RegionCaps.sparseMmap(areas));
    }

    /** {@code vfio_pci_bar_rw} clamps to the BAR; trapped accesses are counted while SAVING. */
    @Override
    public long read(KernelCtx ctx, long buf, long count, long offset) {
        if (offset >= size) {
            return Errno.EINVAL.ret();
        }
        int n = (int) Math.min(count, size - offset);
        note(offset, n);
        return ctx.copyToUser(buf, new byte[n], n) ? n : Errno.EFAULT.ret();
    }

    @Override
    public long write(KernelCtx ctx, long buf, long count, long offset) {
        if (offset >= size) {
            return Errno.EINVAL.ret();
        }
        int n = (int) Math.min(count, size - offset);
        if (ctx.copyFromUser(buf, n) == null) {
            return Errno.EFAULT.ret();
        }
        note(offset, n);
        return n;
    }

    private void note(long offset, long n) {
        if (saving.getAsBoolean() && trap.overlaps(offset, n)) {
            trappedAccesses++;
        }
    }

    /**
     * Past the BAR → {@code EINVAL} ({@code vfio_pci_core_mmap}); the trapped pages while SAVING →
     * {@code EINVAL}, as vfio-pci refused mmaps overlapping the MSI-X table before 4.16 ("users don't
     * get to touch this directly").
     */
    @Override
    public long mmapCheck(KernelCtx ctx, long offset, long length) {
        if (length > UserMemory.alignUp(size, UserMemory.PAGE_SIZE) - offset) {
            return Errno.EINVAL.ret();
        }
        if (saving.getAsBoolean() && trap.overlaps(offset, UserMemory.alignUp(length, UserMemory.PAGE_SIZE))) {
            return Errno.EINVAL.ret();
        }
        return 0;
    }

    /**
     * Asked before SAVING is set: {@code EBUSY} if the calling process maps any trapped page of this
     * device's BAR0 (through any of its files), else null.
     */
    Errno savingVeto(KernelCtx ctx, Predicate<KFile> deviceFile) {
        for (UserMemory.Region m : ctx.mappingsOf(deviceFile)) {
            long off = PciCore.offsetInRegion(m.ownerOffset());
            if (PciCore.offsetToIndex(m.ownerOffset()) == PciCore.BAR0
                    && trap.overlaps(off, UserMemory.alignUp(m.length(), UserMemory.PAGE_SIZE))) {
                return Errno.EBUSY;
            }
        }
        return null;
    }
}
