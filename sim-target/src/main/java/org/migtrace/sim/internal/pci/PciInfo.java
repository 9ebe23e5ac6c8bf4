package org.migtrace.sim.internal.pci;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_INFO;
import static org.migtrace.uapi.Structs.VFIO_REGION_INFO;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.internal.vfio.InfoCaps;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * {@code VFIO_DEVICE_GET_INFO} and {@code VFIO_DEVICE_GET_REGION_INFO} of vfio-pci core
 * ({@code vfio_pci_ioctl_get_info}, {@code vfio_pci_ioctl_get_region_info}), including the
 * capability chain ({@link InfoCaps}).
 */
final class PciInfo {
    private PciInfo() {
    }

    static long getInfo(KernelCtx ctx, PciCore core, long arg) {
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
        VFIO_DEVICE_INFO.field("num_regions").put(out, 0, core.numRegions());
        VFIO_DEVICE_INFO.field("num_irqs").put(out, 0, PciCore.NUM_IRQS);
        return ctx.copyToUser(arg, out, outsz) ? 0 : Errno.EFAULT.ret();
    }

    static long getRegionInfo(KernelCtx ctx, PciCore core, long arg) {
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
        if (index == PciCore.CONFIG) {
            size = PciCore.CFG_SIZE;
            flags = Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE;
        } else if (index >= 0 && index <= 5) {
            DeviceRegion bar = core.vendor().bar((int) index);
            if (bar != null) {
                size = bar.size();
                flags = bar.flags();
                caps.addAll(bar.capabilities());
            } else {
                size = index == PciCore.BAR0 ? core.bar0Size() : 0;
                flags = size == 0 ? 0 : Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE
                        | Structs.VFIO_REGION_INFO_FLAG_MMAP;
            }
        } else if (index == PciCore.ROM) {
            size = 0;
            flags = 0;
        } else if (index == PciCore.VGA) {
            return Errno.EINVAL.ret(); // no VGA
        } else {
            if (index >= core.numRegions() || index < 0) {
                return Errno.EINVAL.ret();
            }
            DeviceRegion r = core.vendor().regions().get((int) index - Structs.VFIO_PCI_NUM_REGIONS);
            size = r.size();
            flags = r.flags();
            caps.addAll(r.capabilities());
        }
        VFIO_REGION_INFO.field("offset").put(info, 0, PciCore.indexToOffset((int) index));
        VFIO_REGION_INFO.field("size").put(info, 0, size);
        VFIO_REGION_INFO.field("flags").put(info, 0, flags);
        if (!caps.isEmpty()) {
            long rc = InfoCaps.copyOut(ctx, arg, info, VFIO_REGION_INFO, argsz, caps);
            if (rc != 0) {
                return rc;
            }
            VFIO_REGION_INFO.field("flags").put(info, 0, flags | Structs.VFIO_REGION_INFO_FLAG_CAPS);
        }
        return ctx.copyToUser(arg, info, minsz) ? 0 : Errno.EFAULT.ret();
    }
}
