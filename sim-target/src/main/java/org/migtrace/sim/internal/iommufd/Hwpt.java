package org.migtrace.sim.internal.iommufd;

import java.util.TreeMap;
import org.migtrace.sim.internal.vfio.IommuDomain;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;

/**
 * A paging hardware page table ({@code struct iommufd_hwpt_paging} with its
 * {@code iommu_domain}), modelled as the Intel VT-d driver builds it: IOPTEs for every area of
 * its IOAS ({@link IopteTable}), and, when allocated with {@code IOMMU_HWPT_ALLOC_DIRTY_TRACKING},
 * dirty ops: second-stage A/D bits that the hardware sets on DMA writes while tracking is on
 * ({@code intel_iommu_set_dirty_tracking}, {@code intel_iommu_read_and_clear_dirty}).
 */
final class Hwpt extends IommufdObject implements IommuDomain {
    /** VT-d 4-level second stage: 48-bit input addresses ({@code __DOMAIN_MAX_ADDR(gaw)}). */
    static final long APERTURE_END = (1L << 48) - 1;

    private final Ioas ioas;
    private final IommuHw hw;
    private final boolean dirtyOps;
    private final boolean nestParent;
    private final TreeMap<Long, IopteTable> tables = new TreeMap<>(Long::compareUnsigned);
    private boolean autoDomain;
    private boolean dirtyTracking;
    private boolean added;

    Hwpt(Ioas ioas, IommuHw hw, boolean dirtyOps, boolean nestParent) {
        super(Type.HWPT_PAGING);
        this.ioas = ioas;
        this.hw = hw;
        this.dirtyOps = dirtyOps;
        this.nestParent = nestParent;
    }

    Ioas ioas() {
        return ioas;
    }

    IommuHw hw() {
        return hw;
    }

    /** Whether the domain has {@code dirty_ops} (allocated with DIRTY_TRACKING). */
    boolean hasDirtyOps() {
        return dirtyOps;
    }

    boolean nestParent() {
        return nestParent;
    }

    boolean autoDomain() {
        return autoDomain;
    }

    void markAutoDomain() {
        autoDomain = true;
    }

    boolean dirtyTracking() {
        return dirtyTracking;
    }

    long minPageSize() {
        return hw.minPageSize();
    }

    long apertureEnd() {
        return APERTURE_END;
    }

    /**
     * {@code iopt_table_add_domain} + {@code list_add_tail(hwpt_item)}: join the IOAS. 0 or
     * {@code -errno}.
     */
    long addToIoas() {
        long rc = ioas.iopt().addDomain(this);
        if (rc == 0) {
            ioas.hwpts().add(this);
            added = true;
        }
        return rc;
    }

    /**
     * Maps {@code area} into this domain ({@code iopt_area_fill_domain}): pins the user pages,
     * which must be ordinary memory ({@code pin_user_pages} fails on device mappings and holes:
     * EFAULT), and lays out the IOPTEs.
     */
    long fill(Area area) {
        UserMemory.Region r = area.mem().regionAt(area.userVa());
        if (r == null || r.kind() == UserMemory.Kind.DEVICE
                || Long.compareUnsigned(area.length(), r.end() - area.userVa()) > 0) {
            return Errno.EFAULT.ret();
        }
        long sizes = ioas.iopt().largePagesDisabled() ? IoPagetable.PAGE_SIZE : hw.pgsizeBitmap();
        tables.put(area.iova(), new IopteTable(area.iova(), area.userVa(), area.length(), r.pageSize(), sizes));
        return 0;
    }

    /** Unmaps {@code area} from this domain; its IOPTEs and their dirty bits are gone. */
    void unfill(Area area) {
        tables.remove(area.iova());
    }

    /** The IOPTEs of the area starting at {@code iova}, or null. */
    IopteTable table(long iova) {
        return tables.get(iova);
    }

    /**
     * {@code iopt_clear_dirty_data}: the read-and-clear without a bitmap over every area, which
     * the driver does whether tracking is on or not; every IOPTE's dirty bit is then clear.
     */
    void clearDirty() {
        for (IopteTable t : tables.values()) {
            t.clearAll();
        }
    }

    /**
     * {@code intel_iommu_set_dirty_tracking}: flips the second-stage A/D enable. The caller
     * ({@code iopt_set_dirty_tracking}) cleared the bits first when enabling.
     */
    void setDirtyTracking(boolean enable) {
        dirtyTracking = enable;
    }

    /**
     * {@code intel_iommu_read_and_clear_dirty} over {@code [from, to]} of one area into a user
     * bitmap's {@code recorder}: refused while tracking is off (EINVAL).
     */
    long readAndClear(Area area, long from, long to, boolean noClear, IopteTable.Recorder recorder) {
        if (!dirtyTracking) {
            return Errno.EINVAL.ret();
        }
        IopteTable t = tables.get(area.iova());
        if (t != null) {
            t.readAndClear(from, to, noClear, recorder);
        }
        return 0;
    }

    @Override
    public long dmaWrite(VfioDevice device, long iova, long length) {
        IoPagetable iopt = ioas.iopt();
        long faulted = 0;
        long pos = iova;
        long remaining = length;
        while (remaining > 0) {
            Area a = iopt.areaAt(pos);
            if (a == null) {
                Area next = iopt.firstArea(pos, pos + remaining - 1);
                long gap = next == null ? remaining : next.iova() - pos;
                faulted += gap;
                pos += gap;
                remaining -= gap;
                continue;
            }
            long span = a.last() - pos + 1; // 0 when the area ends at the top of the IOVA space
            long n = span == 0 || Long.compareUnsigned(span, remaining) > 0 ? remaining : span;
            if (!a.writeable()) {
                faulted += n;
            } else {
                a.mem().noteWrite(a.userAddress(pos), n);
                if (dirtyTracking) {
                    tables.get(a.iova()).markDirty(pos, pos + n - 1);
                }
            }
            pos += n;
            remaining -= n;
        }
        return faulted;
    }

    @Override
    public String describe() {
        return "hwpt:" + id();
    }

    /** {@code iommufd_hwpt_paging_destroy}: leave the IOAS and drop the user held on it. */
    @Override
    void destroy() {
        if (added) {
            ioas.hwpts().remove(this);
            ioas.iopt().removeDomain(this);
            added = false;
        }
        ioas.dropUser();
        tables.clear();
    }
}
