package org.migtrace.sim.internal.type1;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioGroup;
import org.migtrace.uapi.Errno;

/**
 * Groups joining and leaving a type1 container ({@code vfio_iommu_type1_attach_group} and
 * {@code _detach_group}): domains, the IOVA list, the page sizes, the dirty scope, and which
 * IOMMU domain and pinning API the group's devices use.
 */
final class GroupAttach {
    private GroupAttach() {
    }

    /**
     * {@code vfio_iommu_type1_attach_group}. IOMMU groups whose devices sit behind the same kind of
     * IOMMU share a domain, as the kernel reuses a compatible domain; a new domain gets every
     * existing mapping replayed into it, pinning mappings made while there was none.
     */
    static long attach(KernelCtx ctx, Type1Iommu iommu, VfioGroup g) {
        if (iommu.vaddrInvalidCount != 0) {
            return Errno.EBUSY.ret(); // attach could require pinning: not while a vaddr is invalid
        }
        if (iommu.findGroup(g) != null) {
            return Errno.EINVAL.ret();
        }
        if (g.type() == VfioGroup.Type.EMULATED_IOMMU) {
            // cannot dirty memory directly: counts as pinned scope from the start
            iommu.emulatedGroups.add(0, new Type1Iommu.IommuGroup(g, true));
            connectDevices(iommu, g, null);
            return 0;
        }
        Type1Options o = iommu.options();
        if (iommu.iovaList.aperConflict(iommu.dmas, 0, o.apertureEnd())) {
            return Errno.EINVAL.ret();
        }
        if (IovaList.resvConflict(iommu.dmas, o.reservedRegions())) {
            return Errno.EINVAL.ret();
        }
        IovaList copy = iommu.iovaList.copy();
        copy.aperResize(0, o.apertureEnd());
        if (!copy.resvExclude(o.reservedRegions())) {
            return Errno.EINVAL.ret();
        }
        IommuHw hw = g.devices().get(0).iommuHw();
        Type1Iommu.Domain target = null;
        for (Type1Iommu.Domain d : iommu.domains) {
            if (d.hw.equals(hw)) {
                target = d;
                break;
            }
        }
        if (target == null) {
            long ret = replay(ctx, iommu);
            if (ret < 0) {
                return ret;
            }
            target = new Type1Iommu.Domain(hw, new Type1Domain(iommu));
            iommu.domains.add(0, target);
            updatePgsizeBitmap(iommu);
        }
        target.groups.add(0, new Type1Iommu.IommuGroup(g, false));
        iommu.iovaList = copy;
        iommu.numNonPinnedGroups++; // may dirty memory directly until it pins once
        connectDevices(iommu, g, target.translation);
        return 0;
    }

    /** {@code vfio_iommu_type1_detach_group}. */
    static void detach(Type1Iommu iommu, VfioGroup g) {
        Type1Iommu.IommuGroup emulated = null;
        for (Type1Iommu.IommuGroup ig : iommu.emulatedGroups) {
            if (ig.group == g) {
                emulated = ig;
            }
        }
        boolean updateDirtyScope;
        if (emulated != null) {
            updateDirtyScope = !emulated.pinnedScope;
            iommu.emulatedGroups.remove(emulated);
            if (iommu.emulatedGroups.isEmpty() && iommu.domains.isEmpty()) {
                iommu.unmapUnpinAll();
            }
        } else {
            updateDirtyScope = detachFromDomain(iommu, g);
        }
        if (updateDirtyScope) {
            // a group that could dirty anything leaves: it may have, so everything is dirty once
            iommu.numNonPinnedGroups--;
            if (iommu.dirtyTracking) {
                for (Dma d : iommu.dmas.all()) {
                    d.bitmap.setAll(); // vfio_iommu_populate_bitmap_full
                }
            }
        }
        for (VfioDevice dev : g.devices()) {
            dev.setDomain(null);
            dev.setAccess(null);
        }
    }

    /**
     * The IOMMU-group half of detach: an emptied domain goes; with it the last one, the mappings go
     * too, or stay unpinned for the emulated groups. Returns whether the group was non-pinned.
     */
    private static boolean detachFromDomain(Type1Iommu iommu, VfioGroup g) {
        boolean nonPinned = false;
        IovaList copy = iommu.iovaList.copy();
        for (Type1Iommu.Domain d : iommu.domains) {
            Type1Iommu.IommuGroup found = null;
            for (Type1Iommu.IommuGroup ig : d.groups) {
                if (ig.group == g) {
                    found = ig;
                }
            }
            if (found == null) {
                continue;
            }
            nonPinned = !found.pinnedScope;
            d.groups.remove(found);
            if (d.groups.isEmpty()) {
                if (iommu.domains.size() == 1) {
                    if (iommu.emulatedGroups.isEmpty()) {
                        iommu.unmapUnpinAll();
                    } else {
                        iommu.unmapUnpinReaccount();
                    }
                }
                iommu.domains.remove(d);
                copy.aperExpand(!iommu.domains.isEmpty(), iommu.options().apertureEnd());
                updatePgsizeBitmap(iommu);
            }
            break;
        }
        if (copy.resvRefresh(iommu.domains.isEmpty() ? List.of() : iommu.options().reservedRegions())) {
            iommu.iovaList = copy;
        }
        return nonPinned;
    }

    private static void connectDevices(Type1Iommu iommu, VfioGroup g, Type1Domain translation) {
        for (VfioDevice dev : g.devices()) {
            dev.setDomain(translation != null ? translation : iommu.pinnedDomain);
            dev.setAccess(iommu.access);
        }
    }

    /** {@code vfio_update_pgsize_bitmap}: page sizes every domain supports, never below the CPU page. */
    private static void updatePgsizeBitmap(Type1Iommu iommu) {
        long bitmap = -1L;
        for (Type1Iommu.Domain d : iommu.domains) {
            bitmap &= d.hw.pgsizeBitmap();
        }
        if ((bitmap & ~Type1Iommu.PAGE_MASK) != 0) {
            bitmap &= Type1Iommu.PAGE_MASK;
            bitmap |= Type1Iommu.PAGE_SIZE;
        }
        iommu.pgsizeBitmap = bitmap;
    }

    /**
     * {@code vfio_iommu_replay} for the first IOMMU domain: mappings made while the container had
     * none are pinned now (they are mapped into any later domain from the first one's page tables).
     */
    private static long replay(KernelCtx ctx, Type1Iommu iommu) {
        if (!iommu.domains.isEmpty()) {
            return 0;
        }
        List<Dma> pinnedNow = new ArrayList<>();
        for (Dma d : iommu.dmas.all()) {
            if (d.iommuMapped) {
                continue;
            }
            long ret = iommu.pinForIommu(ctx.mem(), d);
            if (ret < 0) {
                for (Dma p : pinnedNow) {
                    iommu.unpinForIommu(p);
                }
                return ret;
            }
            pinnedNow.add(d);
        }
        for (Dma d : iommu.dmas.all()) {
            d.iommuMapped = true;
        }
        return 0;
    }

}
