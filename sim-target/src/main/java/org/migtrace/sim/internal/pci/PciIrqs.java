package org.migtrace.sim.internal.pci;

import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;

/**
 * {@code VFIO_DEVICE_GET_IRQ_INFO} and {@code VFIO_DEVICE_SET_IRQS} of vfio-pci core: the
 * argument checks ({@code vfio_pci_ioctl_get_irq_info}, {@code vfio_set_irqs_validate_and_prepare});
 * interrupts themselves are not modelled.
 */
final class PciIrqs {
    private static final StructLayout IRQ_INFO = StructLayout.struct("vfio_irq_info")
            .u32("argsz").u32("flags").u32("index").u32("count").build();
    private static final StructLayout IRQ_SET = StructLayout.struct("vfio_irq_set")
            .u32("argsz").u32("flags").u32("index").u32("start").u32("count").build();

    private PciIrqs() {
    }

    static long getIrqInfo(KernelCtx ctx, long arg) {
        int minsz = IRQ_INFO.offsetOfEnd("count");
        byte[] info = ctx.copyFromUser(arg, minsz);
        if (info == null) {
            return Errno.EFAULT.ret();
        }
        long index = IRQ_INFO.field("index").get(info, 0);
        if (IRQ_INFO.field("argsz").get(info, 0) < minsz || index >= PciCore.NUM_IRQS) {
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
    static long setIrqs(KernelCtx ctx, long arg) {
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
        if (argsz < minsz || index >= PciCore.NUM_IRQS || count >= 0xFFFF_FFFFL - start
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
}
