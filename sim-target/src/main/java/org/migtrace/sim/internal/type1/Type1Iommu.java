package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimProcess;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioGroup;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Ioctl;

/**
 * The type1 IOMMU backend of one container ({@code struct vfio_iommu} in
 * {@code drivers/vfio/vfio_iommu_type1.c}): its IOMMU domains and the groups in them, the
 * emulated-IOMMU groups, the mappings, and the dirty-tracking state. This class holds the state
 * and the group attach/detach paths; the ioctls live in {@link DmaMapping}, {@link DmaUnmapping}, {@link DirtyPages} and
 * {@link Type1Info}, the pinning API in {@link Type1Access}.
 */
final class Type1Iommu {
    static final int PAGE_SHIFT = UserMemory.PAGE_SHIFT;
    static final long PAGE_SIZE = UserMemory.PAGE_SIZE;
    /** {@code PAGE_MASK}: every power of two from the CPU page size up. */
    static final long PAGE_MASK = -PAGE_SIZE;

    /** {@code struct vfio_iommu_group}: a group and its dirty scope. */
    static final class IommuGroup {
        final VfioGroup group;
        /** {@code pinned_page_dirty_scope}: the group reports what it dirties through the pinning API. */
        boolean pinnedScope;

        IommuGroup(VfioGroup group, boolean pinnedScope) {
            this.group = group;
            this.pinnedScope = pinnedScope;
        }
    }

    /** {@code struct vfio_domain}: one IOMMU page table and the groups attached to it. */
    static final class Domain {
        final IommuHw hw;
        final List<IommuGroup> groups = new ArrayList<>();
        final Type1Domain translation;

        Domain(IommuHw hw, Type1Domain translation) {
            this.hw = hw;
            this.translation = translation;
        }
    }

    final Type1 type1;
    final String name;
    final boolean v2;
    final List<Domain> domains = new ArrayList<>();
    final List<IommuGroup> emulatedGroups = new ArrayList<>();
    final DmaTree dmas = new DmaTree();
    /** {@code iommu->device_list}: open devices with a {@code dma_unmap} op. */
    final List<VfioDevice> deviceList = new ArrayList<>();
    IovaList iovaList = new IovaList();
    long pgsizeBitmap = PAGE_MASK;
    long numNonPinnedGroups;
    int dmaAvail;
    int vaddrInvalidCount;
    boolean dirtyTracking;
    final Type1Access access;
    final PinnedPagesDomain pinnedDomain;

    Type1Iommu(Type1 type1, String name, boolean v2) {
        this.type1 = type1;
        this.name = name;
        this.v2 = v2;
        this.dmaAvail = type1.options().dmaEntryLimit();
        this.access = new Type1Access(this);
        this.pinnedDomain = new PinnedPagesDomain(this);
    }

    Type1Options options() {
        return type1.options();
    }

    /** {@code __ffs(iommu->pgsize_bitmap)}. */
    int pgshift() {
        return Long.numberOfTrailingZeros(pgsizeBitmap);
    }

    long pgsize() {
        return 1L << pgshift();
    }

    /** {@code vfio_iommu_type1_ioctl}. */
    long ioctl(KernelCtx ctx, long cmd, long arg) {
        if (cmd == Ioctl.VFIO_CHECK_EXTENSION.number()) {
            return Type1Info.checkExtension(this, arg);
        } else if (cmd == Ioctl.VFIO_IOMMU_GET_INFO.number()) {
            return Type1Info.getInfo(ctx, this, arg);
        } else if (cmd == Ioctl.VFIO_IOMMU_MAP_DMA.number()) {
            return DmaMapping.mapDma(ctx, this, arg);
        } else if (cmd == Ioctl.VFIO_IOMMU_UNMAP_DMA.number()) {
            return DmaUnmapping.unmapDma(ctx, this, arg);
        } else if (cmd == Ioctl.VFIO_IOMMU_DIRTY_PAGES.number()) {
            return DirtyPages.ioctl(ctx, this, arg);
        }
        return Errno.ENOTTY.ret();
    }

    // ---- groups

    /** {@code vfio_iommu_find_iommu_group}. */
    IommuGroup findGroup(VfioGroup g) {
        for (Domain d : domains) {
            for (IommuGroup ig : d.groups) {
                if (ig.group == g) {
                    return ig;
                }
            }
        }
        for (IommuGroup ig : emulatedGroups) {
            if (ig.group == g) {
                return ig;
            }
        }
        return null;
    }

    /** {@code vfio_iommu_type1_attach_group}: see {@link GroupAttach#attach}. */
    long attachGroup(KernelCtx ctx, VfioGroup g) {
        return GroupAttach.attach(ctx, this, g);
    }

    /** {@code vfio_iommu_type1_detach_group}: see {@link GroupAttach#detach}. */
    void detachGroup(VfioGroup g) {
        GroupAttach.detach(this, g);
    }

    /** {@code vfio_iommu_type1_release}: the last group left the container. */
    void release() {
        emulatedGroups.clear();
        unmapUnpinAll();
        domains.clear();
    }

    // ---- pinning and accounting

    /**
     * Pins a mapping's pages for the IOMMU ({@code vfio_pin_pages_remote} over the whole range):
     * {@code -EFAULT} at the first page no mapping backs, {@code -ENOMEM} when the pages not yet
     * charged would exceed RLIMIT_MEMLOCK. Pages of device mappings (reserved pfns) are mapped but
     * never charged; pages already pinned through the pinning API are already charged.
     */
    long pinForIommu(UserMemory mem, Dma dma) {
        long avail = dma.lockCap ? Long.MAX_VALUE : type1.memlockAvailablePages(dma.owner);
        long charged = 0;
        long cur = dma.vaddr;
        long end = dma.vaddr + dma.size;
        while (Long.compareUnsigned(cur, end) < 0) {
            UserMemory.Region r = mem.regionAt(cur);
            if (r == null) {
                return Errno.EFAULT.ret();
            }
            long regionEnd = r.start() + UserMemory.alignUp(r.length(), PAGE_SIZE);
            long segEnd = Long.compareUnsigned(end, regionEnd) < 0 ? end : regionEnd;
            long pages = (segEnd - cur) >>> PAGE_SHIFT;
            if (r.kind() != UserMemory.Kind.DEVICE) {
                long first = dma.iova + (cur - dma.vaddr);
                long already = dma.pinned.subMap(first, true, first + (segEnd - cur) - 1, true).size();
                charged += pages - already;
                if (charged > avail) {
                    return Errno.ENOMEM.ret();
                }
            }
            cur = segEnd;
        }
        type1.charge(dma.owner, charged);
        dma.lockedPages += charged;
        return 0;
    }

    /** Undoes {@link #pinForIommu}: only the externally pinned pages stay charged. */
    void unpinForIommu(Dma dma) {
        long keep = dma.pinned.size();
        type1.uncharge(dma.owner, dma.lockedPages - keep);
        dma.lockedPages = keep;
        dma.iommuMapped = false;
    }

    /** {@code vfio_remove_dma}: unpins, uncharges and frees a mapping. */
    void removeDma(Dma dma) {
        type1.uncharge(dma.owner, dma.lockedPages);
        dma.lockedPages = 0;
        dma.iommuMapped = false;
        dmas.remove(dma);
        dma.bitmap = null;
        if (dma.vaddrInvalid) {
            vaddrInvalidCount--;
        }
        dmaAvail++;
    }

    /** {@code vfio_iommu_unmap_unpin_all}. */
    void unmapUnpinAll() {
        for (Dma d : dmas.all()) {
            removeDma(d);
        }
    }

    /**
     * {@code vfio_iommu_unmap_unpin_reaccount}: the last IOMMU domain goes but emulated groups stay;
     * mappings survive unpinned, and only their externally pinned pages stay charged.
     */
    void unmapUnpinReaccount() {
        for (Dma d : dmas.all()) {
            unpinForIommu(d);
        }
    }

    // ---- devices registered for unmap notifications

    /** {@code vfio_iommu_type1_register_device}. */
    void registerDevice(VfioDevice device) {
        if (device.driver().hasDmaUnmap()) {
            deviceList.add(0, device);
        }
    }

    /** {@code vfio_iommu_type1_unregister_device}. */
    void unregisterDevice(VfioDevice device) {
        deviceList.remove(device);
    }

    /** Owner process of new mappings: the caller ({@code current->group_leader}). */
    static SimProcess caller(KernelCtx ctx) {
        return ctx.process();
    }

    /** {@code DIRTY_BITMAP_PAGES_MAX}: a bitmap of more pages cannot be allocated. */
    static final long DIRTY_BITMAP_PAGES_MAX = Integer.MAX_VALUE;

    /** {@code vfio_dma_bitmap_alloc}: 0, or {@code -EINVAL} for a mapping of more than INT_MAX pages. */
    long allocBitmap(Dma dma) {
        long npages = Long.divideUnsigned(dma.size, pgsize());
        if (Long.compareUnsigned(npages, DIRTY_BITMAP_PAGES_MAX) > 0) {
            return Errno.EINVAL.ret();
        }
        dma.bitmap = new DirtyBitmap(npages);
        return 0;
    }

    /** {@code vfio_dma_populate_bitmap}: every externally pinned page is dirty. */
    void seedPinned(Dma dma) {
        int pgshift = pgshift();
        for (long iova : dma.pinned.keySet()) {
            dma.bitmap.set((iova - dma.iova) >>> pgshift);
        }
    }
}
