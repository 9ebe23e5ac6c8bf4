package org.migtrace.sim.internal.pci;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_INFO;
import static org.migtrace.uapi.Structs.VFIO_INFO_CAP_HEADER;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO;

import java.util.ArrayList;
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
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * vfio-pci core ({@code drivers/vfio/pci/vfio_pci_core.c}) for one PCIe function, with a
 * {@link VendorOps} on top: the device ioctls ({@code GET_INFO}, {@code GET_REGION_INFO} with its
 * capability chain, {@code GET_IRQ_INFO}, {@code SET_IRQS}, {@code RESET}), and reads, writes and
 * mmaps routed to regions by index ({@code offset >> VFIO_PCI_OFFSET_SHIFT}).
 *
 * <p>Modelled function: config space of 4 KiB (PCIe), BAR0 of {@code bar0Size} bytes (memory,
 * mmap-able), other BARs, ROM and VGA absent, reset supported. MMIO contents are not modelled.
 */
public final class PciCore implements DeviceDriver {
    public static final int BAR0 = 0;
    public static final int ROM = 6;
    public static final int CONFIG = Structs.VFIO_PCI_CONFIG_REGION_INDEX;
    public static final int VGA = 8;
    /** INTX, MSI, MSIX, ERR, REQ. */
    public static final int NUM_IRQS = 5;
    public static final int CFG_SIZE = 4096;

    private static final StructLayout IRQ_INFO = StructLayout.struct("vfio_irq_info")
            .u32("argsz").u32("flags").u32("index").u32("count").build();
    private static final StructLayout IRQ_SET = StructLayout.struct("vfio_irq_set")
            .u32("argsz").u32("flags").u32("index").u32("start").u32("count").build();

    private final VendorOps vendor;
    private final long bar0Size;
    private final byte[] config = new byte[CFG_SIZE];
    private VfioDevice device;

    public PciCore(VendorOps vendor, long bar0Size) {
        if (bar0Size <= 0 || Long.bitCount(bar0Size) != 1) {
            throw new IllegalArgumentException("BAR size must be a power of two: " + bar0Size);
        }
        this.vendor = vendor;
        this.bar0Size = bar0Size;
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

    @Override
    public long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_DEVICE_GET_INFO.number()) {
            return getInfo(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_GET_REGION_INFO.number()) {
            return getRegionInfo(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_GET_IRQ_INFO.number()) {
            return getIrqInfo(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_SET_IRQS.number()) {
            return setIrqs(ctx, arg);
        } else if (cmd == Ioctl.VFIO_DEVICE_RESET.number()) {
            // vfio_pci_ioctl_reset: pci_try_reset_function, then the variant driver's reset_done
            vendor.resetDone(ctx);
            return 0;
        }
        return Errno.ENOTTY.ret();
    }

    private long getInfo(KernelCtx ctx, long arg) {
        int minsz = VFIO_DEVICE_INFO.offsetOfEnd("num_irqs");
        byte[] info = ctx.copyFromUser(arg, minsz);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = VFIO_DEVICE_INFO.field("argsz").get(info, 0);
        if (argsz < minsz) {
            return Errno.EINVAL.ret();
        }
        int outsz = (int) Math.min(argsz, VFIO_DEVICE_INFO.size());
        byte[] out = new byte[VFIO_DEVICE_INFO.size()];
        System.arraycopy(info, 0, out, 0, minsz);
        VFIO_DEVICE_INFO.field("flags").put(out, 0, Structs.VFIO_DEVICE_FLAGS_PCI | Structs.VFIO_DEVICE_FLAGS_RESET);
        VFIO_DEVICE_INFO.field("num_regions").put(out, 0, numRegions());
        VFIO_DEVICE_INFO.field("num_irqs").put(out, 0, NUM_IRQS);
        return ctx.copyToUser(arg, out, outsz) ? 0 : Errno.EFAULT.ret();
    }

    private long getRegionInfo(KernelCtx ctx, long arg) {
        int minsz = VFIO_REGION_INFO.offsetOfEnd("offset");
        byte[] info = ctx.copyFromUser(arg, minsz);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = VFIO_REGION_INFO.field("argsz").get(info, 0);
        if (argsz < minsz) {
            return Errno.EINVAL.ret();
        }
        long index = VFIO_REGION_INFO.field("index").get(info, 0);
        long size;
        int flags;
        List<byte[]> caps = new ArrayList<>();
        if (index == CONFIG) {
            size = CFG_SIZE;
            flags = Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE;
        } else if (index >= 0 && index <= 5) {
            DeviceRegion bar = vendor.bar((int) index);
            if (bar != null) {
                size = bar.size();
                flags = bar.flags();
                caps.addAll(bar.capabilities());
            } else {
                size = index == BAR0 ? bar0Size : 0;
                flags = size == 0 ? 0 : Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE
                        | Structs.VFIO_REGION_INFO_FLAG_MMAP;
            }
        } else if (index == ROM) {
            size = 0;
            flags = 0;
        } else if (index == VGA) {
            return Errno.EINVAL.ret(); // no VGA
        } else {
            if (index >= numRegions() || index < 0) {
                return Errno.EINVAL.ret();
            }
            DeviceRegion r = vendor.regions().get((int) index - Structs.VFIO_PCI_NUM_REGIONS);
            size = r.size();
            flags = r.flags();
            caps.addAll(r.capabilities());
        }
        VFIO_REGION_INFO.field("offset").put(info, 0, indexToOffset((int) index));
        VFIO_REGION_INFO.field("size").put(info, 0, size);
        VFIO_REGION_INFO.field("flags").put(info, 0, flags);
        if (!caps.isEmpty()) {
            long rc = putCaps(ctx, arg, info, argsz, caps, VFIO_REGION_INFO.size(), "cap_offset");
            if (rc != 0) {
                return rc;
            }
            VFIO_REGION_INFO.field("flags").put(info, 0, flags | Structs.VFIO_REGION_INFO_FLAG_CAPS);
        }
        return ctx.copyToUser(arg, info, minsz) ? 0 : Errno.EFAULT.ret();
    }

    /**
     * The {@code vfio_info_cap} convention: if {@code argsz} leaves no room for the chain, report the
     * size needed in {@code argsz} and {@code cap_offset = 0}; otherwise write the chain right after
     * the struct, linked by {@code next} offsets from the struct's start ({@code vfio_info_cap_shift}).
     */
    static long putCaps(KernelCtx ctx, long arg, byte[] info, long argsz, List<byte[]> caps, int structSize,
                        String capOffsetField) {
        StructLayout layout = VFIO_REGION_INFO;
        int total = 0;
        for (byte[] c : caps) {
            total += (int) UserMemory.alignUp(c.length, 8);
        }
        if (argsz < structSize + total) {
            layout.field("argsz").put(info, 0, structSize + total);
            layout.field(capOffsetField).put(info, 0, 0);
            return 0;
        }
        byte[] chain = new byte[total];
        int at = 0;
        for (int i = 0; i < caps.size(); i++) {
            byte[] c = caps.get(i);
            System.arraycopy(c, 0, chain, at, c.length);
            int next = at + (int) UserMemory.alignUp(c.length, 8);
            VFIO_INFO_CAP_HEADER.field("next").put(chain, at, i + 1 < caps.size() ? structSize + next : 0);
            at = next;
        }
        if (!ctx.copyToUser(arg + structSize, chain, total)) {
            return Errno.EFAULT.ret();
        }
        layout.field(capOffsetField).put(info, 0, structSize);
        return 0;
    }

    private long getIrqInfo(KernelCtx ctx, long arg) {
        int minsz = IRQ_INFO.offsetOfEnd("count");
        byte[] info = ctx.copyFromUser(arg, minsz);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        long index = IRQ_INFO.field("index").get(info, 0);
        if (IRQ_INFO.field("argsz").get(info, 0) < minsz || index >= NUM_IRQS) {
            return Errno.EINVAL.ret();
        }
        int eventfd = 1;
        int flags = index == 0 ? eventfd | 2 | 4 : index == 2 ? eventfd : eventfd | 8;
        IRQ_INFO.field("flags").put(info, 0, flags);
        IRQ_INFO.field("count").put(info, 0, irqCount((int) index));
        return ctx.copyToUser(arg, info, minsz) ? 0 : Errno.EFAULT.ret();
    }

    private static int irqCount(int index) {
        switch (index) {
            case 0: return 1;   // INTx
            case 1: return 1;   // MSI
            case 2: return 64;  // MSI-X table entries of a typical VF
            default: return 1;  // ERR, REQ
        }
    }

    /** {@code vfio_set_irqs_validate_and_prepare}; interrupts themselves are not modelled. */
    private long setIrqs(KernelCtx ctx, long arg) {
        int minsz = IRQ_SET.offsetOfEnd("count");
        byte[] hdr = ctx.copyFromUser(arg, minsz);
        if (hdr == null) {
            return Errno.EFAULT.ret();
        }
        long argsz = IRQ_SET.field("argsz").get(hdr, 0);
        long flags = IRQ_SET.field("flags").get(hdr, 0);
        long index = IRQ_SET.field("index").get(hdr, 0);
        long start = IRQ_SET.field("start").get(hdr, 0);
        long count = IRQ_SET.field("count").get(hdr, 0);
        int dataMask = 0x7;
        int actionMask = 0x38;
        if (argsz < minsz || index >= NUM_IRQS || count >= 0xFFFF_FFFFL - start
                || (flags & ~(dataMask | actionMask)) != 0) {
            return Errno.EINVAL.ret();
        }
        int max = irqCount((int) index);
        if (start >= max || start + count > max) {
            return Errno.EINVAL.ret();
        }
        long size;
        switch ((int) (flags & dataMask)) {
            case 1: size = 0; break;
            case 2: size = 1; break;
            case 4: size = 4; break;
            default: return Errno.EINVAL.ret();
        }
        if (size > 0 && argsz - minsz < count * size) {
            return Errno.EINVAL.ret();
        }
        if (size > 0 && ctx.copyFromUser(arg + minsz, (int) (count * size)) == null) {
            return Errno.EFAULT.ret();
        }
        return 0;
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
        long index = pos[0] >>> Structs.VFIO_PCI_OFFSET_SHIFT;
        long off = pos[0] & ((1L << Structs.VFIO_PCI_OFFSET_SHIFT) - 1);
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
            return n;
        }
        byte[] b = new byte[n];
        System.arraycopy(config, (int) off, b, 0, n);
        return ctx.copyToUser(buf, b, n) ? n : Errno.EFAULT.ret();
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
        long index = offset >>> Structs.VFIO_PCI_OFFSET_SHIFT;
        long off = offset & ((1L << Structs.VFIO_PCI_OFFSET_SHIFT) - 1);
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
