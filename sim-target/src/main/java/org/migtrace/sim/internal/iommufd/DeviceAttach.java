package org.migtrace.sim.internal.iommufd;

import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.uapi.Errno;

/**
 * Attaching bound devices to page tables ({@code drivers/iommu/iommufd/device.c}):
 * {@code iommufd_device_attach}, {@code iommufd_device_replace} (a second ATTACH_PT of an
 * attached device), automatic domains for an IOAS, and {@code iommufd_device_detach}.
 */
final class DeviceAttach {
    /** x86's {@code IOMMU_RESV_MSI} window, reserved in the IOAS of every attached device. */
    static final long MSI_START = 0xFEE0_0000L;
    static final long MSI_LAST = 0xFEEF_FFFFL;

    private DeviceAttach() {
    }

    /**
     * {@code iommufd_device_change_pt}: {@code ptId[0]} names an IOAS (an automatic domain is
     * found or made, and its id written back) or a paging HWPT; anything else is EINVAL, an
     * unknown id ENOENT.
     */
    static long attach(IommufdCtx ictx, Idev idev, long[] ptId) {
        boolean replace = idev.attached();
        IommufdObject pt = ictx.objects().get(ptId[0]);
        if (pt == null) {
            return Errno.ENOENT.ret();
        }
        long rc;
        if (pt instanceof Hwpt hwpt) {
            rc = replace ? replace(ictx, idev, hwpt) : attachHwpt(idev, hwpt);
        } else if (pt instanceof Ioas ioas) {
            rc = autoDomain(ictx, idev, ioas, ptId, replace);
        } else {
            rc = Errno.EINVAL.ret();
        }
        if (rc == 0 && !replace) {
            idev.addUser();
            idev.setAttached(true);
        }
        return rc;
    }

    /** {@code iommufd_hw_pagetable_attach}. */
    private static long attachHwpt(Idev idev, Hwpt hwpt) {
        IGroup g = idev.group();
        if (g.hwpt() != null && g.hwpt() != hwpt) {
            return Errno.EINVAL.ret();
        }
        IoPagetable iopt = hwpt.ioas().iopt();
        long rc = iopt.reserve(MSI_START, MSI_LAST, idev);
        if (rc != 0) {
            return rc;
        }
        if (g.attached().isEmpty()) {
            rc = driverCompatible(g, hwpt);
            if (rc != 0) {
                iopt.removeReserved(idev);
                return rc;
            }
            g.setHwpt(hwpt);
        }
        hwpt.addUser();
        g.attached().add(idev);
        return 0;
    }

    /**
     * VT-d {@code paging_domain_compatible}: a domain with dirty ops needs second-stage A/D
     * support in every device's IOMMU (EINVAL otherwise).
     */
    private static long driverCompatible(IGroup g, Hwpt hwpt) {
        for (VfioDevice d : g.group().devices()) {
            if (hwpt.hasDirtyOps() && !d.iommuHw().dirtyTracking()) {
                return Errno.EINVAL.ret();
            }
        }
        return 0;
    }

    /** {@code iommufd_device_do_replace}: move the whole group to {@code hwpt}. */
    private static long replace(IommufdCtx ictx, Idev idev, Hwpt hwpt) {
        IGroup g = idev.group();
        Hwpt old = g.hwpt();
        if (old == null) {
            return Errno.EINVAL.ret();
        }
        if (old == hwpt) {
            return 0;
        }
        boolean otherIoas = old.ioas() != hwpt.ioas();
        if (otherIoas) {
            for (Idev cur : g.attached()) {
                long rc = hwpt.ioas().iopt().reserve(MSI_START, MSI_LAST, cur);
                if (rc != 0) {
                    g.attached().forEach(d -> hwpt.ioas().iopt().removeReserved(d));
                    return rc;
                }
            }
        }
        long rc = driverCompatible(g, hwpt);
        if (rc != 0) {
            if (otherIoas) {
                g.attached().forEach(d -> hwpt.ioas().iopt().removeReserved(d));
            }
            return rc;
        }
        if (otherIoas) {
            g.attached().forEach(d -> old.ioas().iopt().removeReserved(d));
        }
        g.setHwpt(hwpt);
        int n = g.attached().size();
        for (int i = 0; i < n; i++) {
            hwpt.addUser();
        }
        for (int i = 0; i < n - 1; i++) {
            old.dropUser();
        }
        put(ictx, old);
        return 0;
    }

    /**
     * {@code iommufd_device_auto_get_domain}: reuse the first automatic domain of the IOAS that
     * accepts the device (EINVAL means incompatible: try the next), else allocate one with no
     * flags (so it never has dirty tracking) and attach it.
     */
    private static long autoDomain(IommufdCtx ictx, Idev idev, Ioas ioas, long[] ptId, boolean replace) {
        for (Hwpt h : ioas.hwpts()) {
            if (!h.autoDomain()) {
                continue;
            }
            long rc = replace ? replace(ictx, idev, h) : attachHwpt(idev, h);
            if (rc == Errno.EINVAL.ret()) {
                continue;
            }
            if (rc == 0) {
                ptId[0] = h.id();
            }
            return rc;
        }
        Hwpt[] out = new Hwpt[1];
        long rc = HwptCmds.allocPaging(ictx, ioas, idev, 0, false, out);
        if (rc != 0) {
            return rc;
        }
        Hwpt hwpt = out[0];
        rc = replace ? replace(ictx, idev, hwpt) : attachHwpt(idev, hwpt);
        if (rc != 0) {
            ictx.objects().abort(hwpt);
            return rc;
        }
        hwpt.markAutoDomain();
        ptId[0] = hwpt.id();
        return 0;
    }

    /** {@code iommufd_device_detach}. */
    static void detach(IommufdCtx ictx, Idev idev) {
        IGroup g = idev.group();
        Hwpt hwpt = g.hwpt();
        g.attached().remove(idev);
        if (g.attached().isEmpty()) {
            g.setHwpt(null);
        }
        hwpt.ioas().iopt().removeReserved(idev);
        put(ictx, hwpt);
        idev.dropUser();
        idev.setAttached(false);
    }

    /** {@code iommufd_hw_pagetable_put}: an automatic domain goes away with its last device. */
    private static void put(IommufdCtx ictx, Hwpt hwpt) {
        hwpt.dropUser();
        if (hwpt.autoDomain()) {
            ictx.objects().destroyIfUnused(hwpt);
        }
    }
}
