package org.migtrace.sim.internal.pci;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.DeviceDriver;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.internal.vfio.IovaRange;
import org.migtrace.sim.internal.vfio.LogOps;
import org.migtrace.sim.internal.vfio.MigrationOps;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/**
 * vfio-pci core ({@code drivers/vfio/pci/vfio_pci_core.c}) for one PCIe function, with a
 * {@link VendorOps} on top: the device ioctls ({@code GET_INFO}, {@code GET_REGION_INFO} with its
 * capability chain, {@code GET_IRQ_INFO}, {@code SET_IRQS}, {@code RESET}), and reads, writes and
 * mmaps routed to regions by index ({@code offset >> VFIO_PCI_OFFSET_SHIFT}).
 *
 * <p>Modelled function: config space of 4 KiB (PCIe) whose one capability is PCI Express with FLR
 * (a write setting {@code PCI_EXP_DEVCTL_BCR_FLR} resets the function), BAR0 of {@code bar0Size}
 * bytes (memory, mmap-able), other BARs, ROM and VGA absent, reset supported. MMIO contents and the
 * rest of the config space's emulation are not modelled.
 */
public final class PciCore implements DeviceDriver {
    public static final int BAR0 = 0;
    public static final int ROM = 6;
    public static final int CONFIG = Structs.VFIO_PCI_CONFIG_REGION_INDEX;
    public static final int VGA = 8;
    /** INTX, MSI, MSIX, ERR, REQ. */
    public static final int NUM_IRQS = 5;
    public static final int CFG_SIZE = 4096;
    /** Where the model's PCI Express capability sits ({@code PCI_CAPABILITY_LIST} points at it). */
    public static final int EXP_CAP = 0x40;
    /** {@code PCI_EXP_DEVCTL}: the device control register, inside the PCI Express capability. */
    public static final int EXP_DEVCTL = EXP_CAP + 0x08;
    /** {@code PCI_EXP_DEVCTL_BCR_FLR}: "initiate function level reset"; reads as 0. */
    public static final int DEVCTL_BCR_FLR = 0x8000;
    private static final int EXP_DEVCAP = EXP_CAP + 0x04;
    private static final int DEVCAP_FLR = 0x1000_0000;

    private final VendorOps vendor;
    private final long bar0Size;
    private final byte[] config = new byte[CFG_SIZE];
    private VfioDevice device;

    /** BAR0's size. */
    long bar0Size() {
        return bar0Size;
    }

    public PciCore(VendorOps vendor, long bar0Size) {
        if (bar0Size <= 0 || Long.bitCount(bar0Size) != 1) {
            throw new IllegalArgumentException("BAR size must be a power of two: " + bar0Size);
        }
        this.vendor = vendor;
        this.bar0Size = bar0Size;
        config[0x06] = 0x10; // PCI_STATUS_CAP_LIST
        config[0x34] = EXP_CAP; // PCI_CAPABILITY_LIST
        config[EXP_CAP] = 0x10; // PCI_CAP_ID_EXP, the last capability
        config[EXP_CAP + 2] = 0x02; // PCI_EXP_FLAGS: version 2, an endpoint
        putLe32(EXP_DEVCAP, DEVCAP_FLR);
    }

    private void putLe32(int off, int v) {
        for (int i = 0; i < 4; i++) {
            config[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public VendorOps vendor() {
        return vendor;
    }

    public VfioDevice device() {
        return device;
    }

    @Override
    public String model() {
        return vendor.model();
    }

    @Override
    public void bind(VfioDevice device) {
        this.device = device;
        vendor.bind(device);
    }

    @Override
    public long openDevice(KernelCtx ctx) {
        return vendor.openDevice(ctx);
    }

    @Override
    public void closeDevice(KernelCtx ctx) {
        vendor.closeDevice(ctx);
    }

    @Override
    public MigrationOps migrationOps() {
        return vendor.migrationOps();
    }

    @Override
    public LogOps logOps() {
        return vendor.logOps();
    }

    @Override
    public boolean dmaAllowed() {
        return vendor.dmaAllowed();
    }

    @Override
    public void dmaWritten(KernelCtx ctx, long iova, long length) {
        vendor.dmaWritten(ctx, iova, length);
    }

    @Override
    public long deviceFeature(KernelCtx ctx, int flags, long arg, long argsz) {
        return vendor.deviceFeature(ctx, flags, arg, argsz);
    }

    @Override
    public boolean hasDmaUnmap() {
        return vendor.hasDmaUnmap();
    }

    @Override
    public void dmaUnmap(KernelCtx ctx, long iova, long length) {
        vendor.dmaUnmap(ctx, iova, length);
    }

    @Override
    public long setWorkingSet(KernelCtx ctx, List<IovaRange> ranges) {
        return vendor.setWorkingSet(ctx, ranges);
    }

    /** Number of regions the device reports: the 9 standard ones plus device-specific ones. */
    public int numRegions() {
        return Structs.VFIO_PCI_NUM_REGIONS + vendor.regions().size();
    }

    /** The file offset of region {@code index} ({@code VFIO_PCI_INDEX_TO_OFFSET}). */
    public static long indexToOffset(int index) {
        return (long) index << Structs.VFIO_PCI_OFFSET_SHIFT;
    }

    /** The region index a file offset falls in ({@code VFIO_PCI_OFFSET_TO_INDEX}). */
    public static long offsetToIndex(long offset) {
        return offset >>> Structs.VFIO_PCI_OFFSET_SHIFT;
    }

    /** A file offset's position inside its region ({@code offset & VFIO_PCI_OFFSET_MASK}). */
    public static long offsetInRegion(long offset) {
        return offset & ((1L << Structs.VFIO_PCI_OFFSET_SHIFT) - 1);
    }

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_DEVICE_GET_INFO.number()) {
            return PciInfo.getInfo(ctx, this, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_GET_REGION_INFO.number()) {
            return PciInfo.getRegionInfo(ctx, this, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_GET_IRQ_INFO.number()) {
            return PciIrqs.getIrqInfo(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_SET_IRQS.number()) {
            return PciIrqs.setIrqs(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_RESET.number()) {
            // vfio_pci_ioctl_reset: pci_try_reset_function, then the variant driver's reset_done
            vendor.resetDone(ctx);
            return 0;
        }
        return Errno.ENOTTY.ret();
    }

    // ---- region access

    private DeviceRegion region(int index) {
        if (index >= Structs.VFIO_PCI_NUM_REGIONS) {
            return vendor.regions().get(index - Structs.VFIO_PCI_NUM_REGIONS);
        }
        return index <= 5 ? vendor.bar(index) : null;
    }

    @Override
    public long read(KernelCtx ctx, long buf, long count, long[] pos) {
        return rw(ctx, buf, count, pos, false);
    }

    @Override
    public long write(KernelCtx ctx, long buf, long count, long[] pos) {
        return rw(ctx, buf, count, pos, true);
    }

    /** {@code vfio_pci_rw}: route by region index, then the region's own bounds. */
    private long rw(KernelCtx ctx, long buf, long count, long[] pos, boolean isWrite) {
        long index = offsetToIndex(pos[0]);
        long off = offsetInRegion(pos[0]);
        if (index >= numRegions()) {
            return Errno.EINVAL.ret();
        }
        DeviceRegion r = region((int) index);
        long ret;
        if (r != null) {
            ret = isWrite ? r.write(ctx, buf, count, off) : r.read(ctx, buf, count, off);
        } else if (index == CONFIG) {
            ret = configRw(ctx, buf, count, off, isWrite);
        } else if (index == BAR0) {
            ret = mmioRw(ctx, buf, count, off, bar0Size, isWrite);
        } else {
            ret = Errno.EINVAL.ret(); // absent BARs, ROM, VGA
        }
        if (ret > 0) {
            pos[0] += ret;
        }
        return ret;
    }

    private long configRw(KernelCtx ctx, long buf, long count, long off, boolean isWrite) {
        if (off >= CFG_SIZE) {
            return Errno.EINVAL.ret();
        }
        int n = (int) Math.min(count, CFG_SIZE - off);
        if (isWrite) {
            byte[] b = ctx.copyFromUser(buf, n);
            if (b == null) {
                return Errno.EFAULT.ret();
            }
            System.arraycopy(b, 0, config, (int) off, n);
            if (off <= EXP_DEVCTL + 1 && off + n > EXP_DEVCTL + 1 && (config[EXP_DEVCTL + 1] & (DEVCTL_BCR_FLR >>> 8)) != 0) {
                functionLevelReset(ctx);
            }
            return n;
        }
        byte[] b = new byte[n];
        System.arraycopy(config, (int) off, b, 0, n);
        return ctx.copyToUser(buf, b, n) ? n : Errno.EFAULT.ret();
    }

    /**
     * A guest's FLR through the config space ({@code vfio_pci_config.c: vfio_exp_config_write}): the
     * FLR bit is virtualized, cleared (it reads as 0), and since the device advertises FLR in
     * {@code PCI_EXP_DEVCAP}, {@code pci_try_reset_function} resets it, which ends in the variant
     * driver's {@code reset_done} exactly as {@code VFIO_DEVICE_RESET} does. The write's return
     * value is its size either way.
     */
    private void functionLevelReset(KernelCtx ctx) {
        config[EXP_DEVCTL + 1] &= (byte) ~(DEVCTL_BCR_FLR >>> 8);
        vendor.resetDone(ctx);
    }

    /** {@code vfio_pci_bar_rw}: clamp to the BAR; contents are not modelled (reads are zero). */
    static long mmioRw(KernelCtx ctx, long buf, long count, long off, long size, boolean isWrite) {
        if (off >= size) {
            return Errno.EINVAL.ret();
        }
        int n = (int) Math.min(Math.min(count, size - off), Integer.MAX_VALUE);
        if (isWrite) {
            return ctx.copyFromUser(buf, n) == null ? Errno.EFAULT.ret() : n;
        }
        return ctx.copyToUser(buf, new byte[n], n) ? n : Errno.EFAULT.ret();
    }

    /** {@code vfio_pci_core_mmap} (the {@code VM_SHARED} check is not modelled: QEMU always maps shared). */
    @Override
    public long mmap(KernelCtx ctx, long length, int prot, long offset) {
        long index = offsetToIndex(offset);
        long off = offsetInRegion(offset);
        if (index >= numRegions()) {
            return Errno.EINVAL.ret();
        }
        DeviceRegion r = region((int) index);
        if (r != null) {
            if ((r.flags() & Structs.VFIO_REGION_INFO_FLAG_MMAP) == 0) {
                return Errno.EINVAL.ret();
            }
            return r.mmapCheck(ctx, off, length);
        }
        if (index != BAR0) {
            return Errno.EINVAL.ret();
        }
        long physLen = UserMemory.alignUp(bar0Size, UserMemory.PAGE_SIZE);
        return off + length > physLen ? Errno.EINVAL.ret() : 0;
    }
}
