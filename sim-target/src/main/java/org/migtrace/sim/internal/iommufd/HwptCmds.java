package org.migtrace.sim.internal.iommufd;

import static org.migtrace.uapi.Structs.IOMMU_HWPT_ALLOC_DIRTY_TRACKING;
import static org.migtrace.uapi.Structs.IOMMU_HWPT_ALLOC_NEST_PARENT;

import org.migtrace.sim.internal.kernel.IovaBitmap;
import org.migtrace.sim.internal.vfio.IommuHw;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * The HWPT commands ({@code drivers/iommu/iommufd/hw_pagetable.c}, {@code device.c},
 * {@code io_pagetable.c}): HWPT_ALLOC, GET_HW_INFO, HWPT_SET_DIRTY_TRACKING and
 * HWPT_GET_DIRTY_BITMAP, against an Intel VT-d IOMMU.
 */
final class HwptCmds {
    /** The 6.7 {@code valid_flags} of {@code iommufd_hwpt_paging_alloc} (no fault objects, no PASID). */
    private static final long VALID_ALLOC_FLAGS = IOMMU_HWPT_ALLOC_NEST_PARENT | IOMMU_HWPT_ALLOC_DIRTY_TRACKING;

    private HwptCmds() {
    }

    private static Idev device(Ucmd u, long id) {
        return u.ictx().objects().get(id, IommufdObject.Type.DEVICE, Idev.class);
    }

    private static Hwpt hwptPaging(Ucmd u, long id) {
        return u.ictx().objects().get(id, IommufdObject.Type.HWPT_PAGING, Hwpt.class);
    }

    /**
     * {@code iommufd_hwpt_alloc}. Order: {@code __reserved} (EOPNOTSUPP); {@code data_type} and
     * {@code data_len} disagreeing (EINVAL); {@code dev_id} not a device (ENOENT); {@code pt_id}
     * not an object at all (EINVAL, not ENOENT); then per kind of {@code pt_id}: an IOAS gets a
     * paging domain, a paging HWPT would get a nested domain, anything else is EINVAL.
     */
    static long alloc(Ucmd u) {
        if (u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        long dataType = u.get("data_type");
        long dataLen = u.get("data_len");
        if ((dataType == Structs.IOMMU_HWPT_DATA_NONE && dataLen != 0)
                || (dataType != Structs.IOMMU_HWPT_DATA_NONE && dataLen == 0)) {
            return Errno.EINVAL.ret();
        }
        Idev idev = device(u, u.get("dev_id"));
        if (idev == null) {
            return Errno.ENOENT.ret();
        }
        IommufdObject pt = u.ictx().objects().get(u.get("pt_id"));
        if (pt == null) {
            return Errno.EINVAL.ret();
        }
        long flags = u.get("flags");
        if (pt instanceof Ioas ioas) {
            Hwpt[] out = new Hwpt[1];
            long rc = allocPaging(u.ictx(), ioas, idev, flags, dataLen != 0, out);
            if (rc != 0) {
                return rc;
            }
            u.set("out_hwpt_id", out[0].id());
            rc = u.respond();
            if (rc != 0) {
                u.ictx().objects().abort(out[0]);
            }
            return rc;
        }
        if (pt instanceof Hwpt parent) {
            // iommufd_hwpt_nested_alloc: the flags and data checks, then the parent checks; a
            // nested (stage-1) domain built from the user's data is not modelled, which the VT-d
            // driver's own validation of that data would also refuse for anything but VTD_S1.
            if (flags != 0 || dataLen == 0) {
                return Errno.EOPNOTSUPP.ret();
            }
            if (parent.autoDomain() || !parent.nestParent()) {
                return Errno.EINVAL.ret();
            }
            return Errno.EOPNOTSUPP.ret();
        }
        return Errno.EINVAL.ret();
    }

    /**
     * {@code iommufd_hwpt_paging_alloc} + VT-d {@code domain_alloc_paging_flags}: unknown flags,
     * DIRTY_TRACKING on an IOMMU without the capability, and driver data are EOPNOTSUPP; the new
     * domain joins the IOAS (which fills it with every mapping, so existing maps are present
     * immediately). On success the HWPT is in the table with an id.
     */
    static long allocPaging(IommufdCtx ictx, Ioas ioas, Idev idev, long flags, boolean userData, Hwpt[] out) {
        if ((flags & ~VALID_ALLOC_FLAGS) != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        IommuHw hw = idev.device().iommuHw();
        boolean dirty = (flags & IOMMU_HWPT_ALLOC_DIRTY_TRACKING) != 0;
        if (dirty && !hw.dirtyTracking()) {
            return Errno.EOPNOTSUPP.ret();
        }
        if (userData) {
            return Errno.EOPNOTSUPP.ret();
        }
        Hwpt hwpt = new Hwpt(ioas, hw, dirty, (flags & IOMMU_HWPT_ALLOC_NEST_PARENT) != 0);
        ioas.addUser();
        ictx.objects().add(hwpt);
        long rc = hwpt.addToIoas();
        if (rc != 0) {
            ictx.objects().abort(hwpt);
            return rc;
        }
        out[0] = hwpt;
        return 0;
    }

    /**
     * {@code iommufd_get_hw_info}: the VT-d info struct (capability registers are not modelled
     * and read as 0), the user's trailing bytes zeroed, {@code data_len} set to the driver's size,
     * and {@code IOMMU_HW_CAP_DIRTY_TRACKING} from the device's IOMMU.
     */
    static long hwInfo(Ucmd u) {
        if (u.get("flags") != 0 || u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Idev idev = device(u, u.get("dev_id"));
        if (idev == null) {
            return Errno.ENOENT.ret();
        }
        int dataLen = Structs.IOMMU_HW_INFO_VTD.size();
        long userLen = u.get("data_len");
        long uptr = u.get("data_uptr");
        int copyLen = (int) Math.min(userLen, dataLen);
        if (copyLen > 0 && !u.ctx().copyToUser(uptr, new byte[copyLen], copyLen)) {
            return Errno.EFAULT.ret();
        }
        if (userLen > copyLen && !u.ctx().mem().zero(uptr + copyLen, userLen - copyLen)) {
            return Errno.EFAULT.ret();
        }
        u.set("out_data_type", Structs.IOMMU_HW_INFO_TYPE_INTEL_VTD);
        u.set("data_len", dataLen);
        u.set("out_capabilities", idev.device().iommuHw().dirtyTracking() ? Structs.IOMMU_HW_CAP_DIRTY_TRACKING : 0);
        return u.respond();
    }

    /**
     * {@code iommufd_hwpt_set_dirty_tracking} + {@code iopt_set_dirty_tracking}: unknown flags
     * EOPNOTSUPP ({@code __reserved} is not checked); not a paging HWPT ENOENT; no dirty ops
     * EOPNOTSUPP. ENABLE first read-and-clears every IOPTE of every area, so tracking starts
     * clean even when it was already on; DISABLE leaves the bits.
     */
    static long setDirtyTracking(Ucmd u) {
        long flags = u.get("flags");
        if ((flags & ~(long) Structs.IOMMU_HWPT_DIRTY_TRACKING_ENABLE) != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Hwpt hwpt = hwptPaging(u, u.get("hwpt_id"));
        if (hwpt == null) {
            return Errno.ENOENT.ret();
        }
        if (!hwpt.hasDirtyOps()) {
            return Errno.EOPNOTSUPP.ret();
        }
        boolean enable = (flags & Structs.IOMMU_HWPT_DIRTY_TRACKING_ENABLE) != 0;
        if (enable) {
            hwpt.clearDirty();
        }
        hwpt.setDirtyTracking(enable);
        return 0;
    }

    /**
     * {@code iommufd_hwpt_get_dirty_bitmap} + {@code iopt_read_and_clear_dirty_data}
     * (current kernel). Checks in order: flags other than NO_CLEAR or {@code __reserved}
     * (EOPNOTSUPP); not a paging HWPT (ENOENT); {@code iommufd_check_iova_range}: {@code iova +
     * length - 1} overflowing (EOVERFLOW, so {@code length 0} with {@code iova != 0} is EOVERFLOW),
     * {@code iova} or {@code iova + length} not aligned to the IOAS alignment (EINVAL),
     * {@code page_size} 0 (EINVAL), not aligned to {@code page_size} (EINVAL); no dirty ops
     * (EOPNOTSUPP). Then the areas are walked from {@code iova} without a gap and each piece is
     * read (and cleared) into the bitmap; what that walk returns is ignored, so a hole, tracking
     * being off (the driver's EINVAL) or an unusable bitmap pointer all end in success with the
     * bits found so far.
     */
    static long getDirtyBitmap(Ucmd u) {
        long flags = u.get("flags");
        if ((flags & ~(long) Structs.IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) != 0 || u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Hwpt hwpt = hwptPaging(u, u.get("hwpt_id"));
        if (hwpt == null) {
            return Errno.ENOENT.ret();
        }
        IoPagetable iopt = hwpt.ioas().iopt();
        long iova = u.get("iova");
        long length = u.get("length");
        long pageSize = u.get("page_size");
        long rc = checkIovaRange(iopt.iovaAlignment(), iova, length, pageSize);
        if (rc != 0) {
            return rc;
        }
        if (!hwpt.hasDirtyOps()) {
            return Errno.EOPNOTSUPP.ret();
        }
        boolean noClear = (flags & Structs.IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR) != 0;
        IovaBitmap bitmap = new IovaBitmap(u.ctx().mem(), iova, length, pageSize, u.get("data"));
        IopteTable.Recorder recorder = (start, pgsize, count) -> recordRun(bitmap, start, pgsize, count);
        iopt.forEachContig(iova, iova + length - 1,
                (area, from, to) -> hwpt.readAndClear(area, from, to, noClear, recorder));
        return 0;
    }

    /** {@code iommufd_check_iova_range}. */
    static long checkIovaRange(long alignment, long iova, long length, long pageSize) {
        long last = iova + length - 1;
        if (Long.compareUnsigned(last, iova) < 0 && length != 0) {
            return Errno.EOVERFLOW.ret();
        }
        if (length == 0 && iova != 0) {
            return Errno.EOVERFLOW.ret(); // iova + (u64)-1 carries out
        }
        if ((iova & (alignment - 1)) != 0 || ((last + 1) & (alignment - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        if (pageSize == 0) {
            return Errno.EINVAL.ret();
        }
        if ((iova & (pageSize - 1)) != 0 || ((last + 1) & (pageSize - 1)) != 0) {
            return Errno.EINVAL.ret();
        }
        return 0;
    }

    /**
     * {@code iommu_dirty_bitmap_record} once per dirty IOPTE of a run, done as one bitmap write
     * for the run; where the bitmap cannot be pinned, each later IOPTE tries again on its own as
     * the per-IOPTE calls would.
     */
    private static void recordRun(IovaBitmap bitmap, long start, long pgsize, long count) {
        long i = 0;
        while (i < count) {
            long from = start + i * pgsize;
            long len = (count - i) * pgsize;
            long stop = bitmap.set(from, len);
            if (stop == from + len) {
                return;
            }
            i = Long.divideUnsigned(stop - start, pgsize) + 1;
        }
    }
}
