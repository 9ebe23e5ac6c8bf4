package org.migtrace.sim.internal.type1;

import org.migtrace.sim.internal.vfio.DmaAccess;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * The pinning API over a type1 container: {@code vfio_pin_pages}, {@code vfio_unpin_pages} and
 * {@code vfio_dma_rw} ({@code drivers/vfio/vfio_main.c} → {@code container.c} →
 * {@code vfio_iommu_type1_pin_pages} / {@code _unpin_pages} / {@code _dma_rw}). Pinned pages and
 * pages written through {@code dma_rw} are what type1 reports dirty; a device's first successful
 * pin puts its group in pinned-page dirty scope for good.
 */
final class Type1Access implements DmaAccess {
    /** {@code VFIO_PIN_PAGES_MAX_ENTRIES}: {@code PAGE_SIZE / sizeof(unsigned long)}. */
    static final int PIN_PAGES_MAX_ENTRIES = UserMemory.PAGE_SIZE / 8;

    private final Type1Iommu iommu;

    Type1Access(Type1Iommu iommu) {
        this.iommu = iommu;
    }

    /**
     * @return {@code npage}, or {@code -errno}: EINVAL (no pages, device not open, no
     *         {@code dma_unmap} op, no notifier registered, an IOVA not mapped), E2BIG (more than a
     *         page of pfns), EACCES (v1 container), EOVERFLOW (6.19+: the range wraps), EBUSY (a
     *         vaddr is being updated), EPERM (mapping lacks {@code prot}), EFAULT (nothing mapped at
     *         the page's vaddr), ENOMEM (RLIMIT_MEMLOCK, when no IOMMU domain already charged it)
     */
    @Override
    public long pinPages(VfioDevice device, long iova, int npage, int prot) {
        if (npage == 0 || device.openCount() == 0) {
            return Errno.EINVAL.ret();
        }
        if (!device.driver().hasDmaUnmap()) {
            return Errno.EINVAL.ret();
        }
        if (npage > PIN_PAGES_MAX_ENTRIES) {
            return Errno.E2BIG.ret();
        }
        boolean current = iommu.options().kernel() == Type1Kernel.CURRENT;
        if (current && npage < 0) {
            return Errno.EINVAL.ret();
        }
        if (!iommu.v2) {
            return Errno.EACCES.ret();
        }
        if (current && npage > 0 && DmaMapping.wraps(iova, (long) npage * UserMemory.PAGE_SIZE)) {
            return Errno.EOVERFLOW.ret();
        }
        if (iommu.vaddrInvalidCount != 0) {
            return Errno.EBUSY.ret();
        }
        if (iommu.deviceList.isEmpty()) {
            return Errno.EINVAL.ret(); // no dma_unmap notifier registered
        }
        boolean doAccounting = iommu.domains.isEmpty();
        for (int i = 0; i < npage; i++) {
            long pageIova = iova + (long) i * UserMemory.PAGE_SIZE;
            long ret = pinOne(pageIova, prot, doAccounting);
            if (ret < 0) {
                for (int j = 0; j < i; j++) {
                    long undo = iova + (long) j * UserMemory.PAGE_SIZE;
                    unpinOne(iommu.dmas.find(undo, UserMemory.PAGE_SIZE), undo, doAccounting);
                }
                return ret;
            }
        }
        Type1Iommu.IommuGroup group = iommu.findGroup(device.group());
        if (group != null && !group.pinnedScope) {
            group.pinnedScope = true; // the group now reports what it dirties: promoted for good
            iommu.numNonPinnedGroups--;
        }
        return Math.max(npage, 0);
    }

    private long pinOne(long pageIova, int prot, boolean doAccounting) {
        Dma dma = iommu.dmas.find(pageIova, UserMemory.PAGE_SIZE);
        if (dma == null) {
            return Errno.EINVAL.ret();
        }
        if ((dma.prot & prot) != prot) {
            return Errno.EPERM.ret();
        }
        int[] ref = dma.pinned.get(pageIova);
        if (ref != null) {
            ref[0]++;
            return 0;
        }
        long vaddr = dma.vaddr + (pageIova - dma.iova);
        UserMemory.Region r = dma.owner.memory().regionAt(vaddr);
        if (r == null) {
            return Errno.EFAULT.ret(); // vaddr_get_pfns
        }
        if (r.kind() == UserMemory.Kind.DEVICE) {
            return Errno.EINVAL.ret(); // a reserved pfn has no struct page: !pfn_valid
        }
        if (doAccounting) {
            if (!dma.lockCap && iommu.type1.memlockAvailablePages(dma.owner) < 1) {
                return Errno.ENOMEM.ret();
            }
            iommu.type1.charge(dma.owner, 1);
            dma.lockedPages++;
        }
        dma.pinned.put(pageIova, new int[] {1});
        if (iommu.dirtyTracking) {
            dma.bitmap.set((pageIova - dma.iova) >>> iommu.pgshift());
        }
        return 0;
    }

    /** {@code vfio_unpin_page_external}: drops one reference; the last one unpins (and uncharges). */
    private void unpinOne(Dma dma, long pageIova, boolean doAccounting) {
        int[] ref = dma == null ? null : dma.pinned.get(pageIova);
        if (ref == null) {
            return;
        }
        if (--ref[0] == 0) {
            dma.pinned.remove(pageIova);
            if (doAccounting) {
                iommu.type1.uncharge(dma.owner, 1);
                dma.lockedPages--;
            }
        }
    }

    /** {@code vfio_unpin_pages}: the kernel only WARNs on bad arguments; unpinning leaves dirty bits set. */
    @Override
    public void unpinPages(VfioDevice device, long iova, int npage) {
        if (device.openCount() == 0 || !device.driver().hasDmaUnmap()) {
            return;
        }
        if (npage <= 0 || npage > PIN_PAGES_MAX_ENTRIES || !iommu.v2) {
            return;
        }
        if (iommu.options().kernel() == Type1Kernel.CURRENT
                && DmaMapping.wraps(iova, (long) npage * UserMemory.PAGE_SIZE)) {
            return;
        }
        boolean doAccounting = iommu.domains.isEmpty();
        for (int i = 0; i < npage; i++) {
            long pageIova = iova + (long) i * UserMemory.PAGE_SIZE;
            Dma dma = iommu.dmas.find(pageIova, UserMemory.PAGE_SIZE);
            if (dma == null) {
                break;
            }
            unpinOne(dma, pageIova, doAccounting);
        }
    }

    /**
     * {@code vfio_dma_rw}: the CPU copies to or from guest memory for the device. A write is
     * recorded in the owner's write log and, while tracking, marks every page it touched dirty
     * (reported once). Each chunk needs a mapping with READ (and WRITE for writes).
     */
    @Override
    public long dmaRw(VfioDevice device, long iova, long length, boolean write) {
        if (length <= 0 || device.openCount() == 0) {
            return Errno.EINVAL.ret();
        }
        if (iommu.vaddrInvalidCount != 0) {
            return Errno.EBUSY.ret();
        }
        long cur = iova;
        long count = length;
        while (count > 0) {
            Dma dma = iommu.dmas.at(cur);
            if (dma == null) {
                return Errno.EINVAL.ret();
            }
            if ((write && (dma.prot & Dma.IOMMU_WRITE) == 0) || (dma.prot & Dma.IOMMU_READ) == 0) {
                return Errno.EPERM.ret();
            }
            long offset = cur - dma.iova;
            long n = Long.compareUnsigned(count, dma.size - offset) > 0 ? dma.size - offset : count;
            long vaddr = dma.vaddr + offset;
            UserMemory mem = dma.owner.memory();
            UserMemory.Region r = mem.regionAt(vaddr);
            boolean whole = r != null && Long.compareUnsigned(n, r.end() - vaddr) <= 0;
            if (write && r != null) {
                mem.noteWrite(vaddr, whole ? n : r.end() - vaddr); // copy_to_user writes up to the fault
            }
            if (!whole) {
                return Errno.EFAULT.ret();
            }
            if (write && iommu.dirtyTracking) {
                int pgshift = iommu.pgshift();
                long first = offset >>> pgshift;
                dma.bitmap.setRange(first, ((offset + n - 1) >>> pgshift) - first + 1);
            }
            count -= n;
            cur += n;
        }
        return 0;
    }
}
