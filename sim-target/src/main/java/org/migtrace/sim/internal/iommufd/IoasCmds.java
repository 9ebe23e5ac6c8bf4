package org.migtrace.sim.internal.iommufd;

import static org.migtrace.uapi.Structs.IOMMU_IOAS_MAP_FIXED_IOVA;
import static org.migtrace.uapi.Structs.IOMMU_IOAS_MAP_READABLE;
import static org.migtrace.uapi.Structs.IOMMU_IOAS_MAP_WRITEABLE;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * The IOAS commands ({@code drivers/iommu/iommufd/ioas.c}, {@code main.c}): DESTROY, IOAS_ALLOC,
 * ALLOW_IOVAS, COPY, IOVA_RANGES, MAP, UNMAP, OPTION and VFIO_IOAS, each checking in the
 * kernel's order.
 */
final class IoasCmds {
    private static final long MAP_FLAGS = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE;
    /** {@code ULONG_MAX}: {@code iova >= ULONG_MAX} is the kernel's overflow test on 64-bit. */
    private static final long ULONG_MAX = -1L;

    private IoasCmds() {
    }

    /** {@code iommufd_destroy}. */
    static long destroy(Ucmd u) {
        return u.ictx().objects().destroy(u.get("id"));
    }

    /** {@code iommufd_ioas_alloc_ioctl}. */
    static long alloc(Ucmd u) {
        if (u.get("flags") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Ioas ioas = new Ioas(u.ictx());
        ObjectTable objects = u.ictx().objects();
        objects.add(ioas);
        u.set("out_ioas_id", ioas.id());
        long rc = u.respond();
        if (rc != 0) {
            objects.abort(ioas);
        }
        return rc;
    }

    private static Ioas ioas(Ucmd u, long id) {
        return u.ictx().objects().get(id, IommufdObject.Type.IOAS, Ioas.class);
    }

    /** {@code iommufd_ioas_map}. */
    static long map(Ucmd u) {
        long flags = u.get("flags");
        if ((flags & ~MAP_FLAGS) != 0 || u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        if (u.get("iova") == ULONG_MAX || u.get("length") == ULONG_MAX) {
            return Errno.EOVERFLOW.ret();
        }
        if ((flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)) == 0) {
            return Errno.EINVAL.ret();
        }
        Ioas ioas = ioas(u, u.get("ioas_id"));
        if (ioas == null) {
            return Errno.ENOENT.ret();
        }
        long[] iova = {u.get("iova")};
        long rc = ioas.iopt().map(u.ctx().mem(), u.get("user_va"), u.get("length"), iova,
                (flags & IOMMU_IOAS_MAP_FIXED_IOVA) == 0, (flags & IOMMU_IOAS_MAP_WRITEABLE) != 0,
                (flags & IOMMU_IOAS_MAP_READABLE) != 0);
        if (rc != 0) {
            return rc;
        }
        u.set("iova", iova[0]);
        return u.respond();
    }

    /** {@code iommufd_ioas_copy}: maps, in the destination IOAS, the user memory a source range maps. */
    static long copy(Ucmd u) {
        long flags = u.get("flags");
        if ((flags & ~MAP_FLAGS) != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        if (u.get("length") == ULONG_MAX || u.get("src_iova") == ULONG_MAX || u.get("dst_iova") == ULONG_MAX) {
            return Errno.EOVERFLOW.ret();
        }
        if ((flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)) == 0) {
            return Errno.EINVAL.ret();
        }
        Ioas src = ioas(u, u.get("src_ioas_id"));
        if (src == null) {
            return Errno.ENOENT.ret();
        }
        List<IoPagetable.Piece> pieces = new ArrayList<>();
        long rc = src.iopt().getPages(u.get("src_iova"), u.get("length"), pieces);
        if (rc != 0) {
            return rc;
        }
        Ioas dst = ioas(u, u.get("dst_ioas_id"));
        if (dst == null) {
            return Errno.ENOENT.ret();
        }
        long[] iova = {u.get("dst_iova")};
        rc = dst.iopt().mapPieces(pieces, u.get("length"), iova, (flags & IOMMU_IOAS_MAP_FIXED_IOVA) == 0,
                (flags & IOMMU_IOAS_MAP_WRITEABLE) != 0, (flags & IOMMU_IOAS_MAP_READABLE) != 0);
        if (rc != 0) {
            return rc;
        }
        u.set("dst_iova", iova[0]);
        return u.respond();
    }

    /**
     * {@code iommufd_ioas_unmap} (current kernel): the ioas is looked up first; {@code iova 0,
     * length U64_MAX} unmaps everything and succeeds on an empty IOAS; otherwise a range with
     * nothing mapped is ENOENT and a partly covered area is ENOENT. {@code length} is written
     * back with the bytes unmapped.
     */
    static long unmap(Ucmd u) {
        Ioas ioas = ioas(u, u.get("ioas_id"));
        if (ioas == null) {
            return Errno.ENOENT.ret();
        }
        long iova = u.get("iova");
        long length = u.get("length");
        long[] unmapped = new long[1];
        long rc;
        if (iova == 0 && length == ULONG_MAX) {
            rc = ioas.iopt().unmap(0, ULONG_MAX, unmapped);
            if (rc != 0) {
                return rc;
            }
        } else {
            if (iova == ULONG_MAX || length == ULONG_MAX) {
                return Errno.EOVERFLOW.ret();
            }
            rc = ioas.iopt().unmapIova(iova, length, unmapped);
            if (rc != 0) {
                return rc;
            }
            if (unmapped[0] == 0) {
                return Errno.ENOENT.ret();
            }
        }
        u.set("length", unmapped[0]);
        return u.respond();
    }

    /** {@code iommufd_ioas_iova_ranges}: the usable IOVA ranges, EMSGSIZE when more exist than fit. */
    static long iovaRanges(Ucmd u) {
        if (u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Ioas ioas = ioas(u, u.get("ioas_id"));
        if (ioas == null) {
            return Errno.ENOENT.ret();
        }
        long max = u.get("num_iovas");
        long ranges = u.get("allowed_iovas");
        long num = 0;
        u.set("out_iova_alignment", ioas.iopt().iovaAlignment());
        for (long[] r : ioas.iopt().usableRanges()) {
            if (num < max) {
                byte[] elm = new byte[Structs.IOMMU_IOVA_RANGE.size()];
                Structs.IOMMU_IOVA_RANGE.field("start").put(elm, 0, r[0]);
                Structs.IOMMU_IOVA_RANGE.field("last").put(elm, 0, r[1]);
                if (!u.ctx().copyToUser(ranges + num * elm.length, elm, elm.length)) {
                    return Errno.EFAULT.ret();
                }
            }
            num++;
        }
        u.set("num_iovas", num);
        long rc = u.respond();
        if (rc != 0) {
            return rc;
        }
        return num > max ? Errno.EMSGSIZE.ret() : 0;
    }

    /** {@code iommufd_ioas_allow_iovas}: replaces the ranges automatic IOVA allocation may use. */
    static long allowIovas(Ucmd u) {
        if (u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        Ioas ioas = ioas(u, u.get("ioas_id"));
        if (ioas == null) {
            return Errno.ENOENT.ret();
        }
        List<long[]> ranges = new ArrayList<>();
        long num = u.get("num_iovas");
        long base = u.get("allowed_iovas");
        int size = Structs.IOMMU_IOVA_RANGE.size();
        for (long i = 0; i < num; i++) {
            byte[] b = u.ctx().copyFromUser(base + i * size, size);
            if (b == null) {
                return Errno.EFAULT.ret();
            }
            long start = Structs.IOMMU_IOVA_RANGE.field("start").get(b, 0);
            long last = Structs.IOMMU_IOVA_RANGE.field("last").get(b, 0);
            if (Long.compareUnsigned(start, last) >= 0) {
                return Errno.EINVAL.ret();
            }
            for (long[] r : ranges) {
                if (Long.compareUnsigned(r[0], last) <= 0 && Long.compareUnsigned(r[1], start) >= 0) {
                    return Errno.EINVAL.ret();
                }
            }
            ranges.add(new long[] {start, last});
        }
        return ioas.iopt().setAllowed(ranges);
    }

    /** {@code iommufd_option}: RLIMIT_MODE (context-wide) and HUGE_PAGES (per IOAS). */
    static long option(Ucmd u) {
        if (u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        long rc;
        long option = u.get("option_id");
        if (option == Structs.IOMMU_OPTION_RLIMIT_MODE) {
            rc = rlimitMode(u);
        } else if (option == Structs.IOMMU_OPTION_HUGE_PAGES) {
            rc = hugePages(u);
        } else {
            return Errno.EOPNOTSUPP.ret();
        }
        if (rc != 0) {
            return rc;
        }
        byte[] val = new byte[8];
        Structs.IOMMU_OPTION.field("val64").put(val, -Structs.IOMMU_OPTION.offset("val64"), u.get("val64"));
        long at = u.userBuffer() + Structs.IOMMU_OPTION.offset("val64");
        return u.ctx().copyToUser(at, val, 8) ? 0 : Errno.EFAULT.ret();
    }

    /** {@code iommufd_option_rlimit_mode}; the simulated VMM runs with CAP_SYS_RESOURCE. */
    private static long rlimitMode(Ucmd u) {
        if (u.get("object_id") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        long op = u.get("op");
        if (op == Structs.IOMMU_OPTION_OP_GET) {
            u.set("val64", u.ictx().accountMode() == 1 ? 1 : 0);
            return 0;
        }
        if (op == Structs.IOMMU_OPTION_OP_SET) {
            if (!u.ictx().objects().isEmpty()) {
                return Errno.EBUSY.ret();
            }
            long val = u.get("val64");
            if (val != 0 && val != 1) {
                return Errno.EINVAL.ret();
            }
            u.ictx().setAccountMode(val);
            return 0;
        }
        return Errno.EOPNOTSUPP.ret();
    }

    /** {@code iommufd_ioas_option} / {@code iommufd_ioas_option_huge_pages}. */
    private static long hugePages(Ucmd u) {
        Ioas ioas = ioas(u, u.get("object_id"));
        if (ioas == null) {
            return Errno.ENOENT.ret();
        }
        long op = u.get("op");
        if (op == Structs.IOMMU_OPTION_OP_GET) {
            u.set("val64", ioas.iopt().largePagesDisabled() ? 0 : 1);
            return 0;
        }
        if (op == Structs.IOMMU_OPTION_OP_SET) {
            long val = u.get("val64");
            if (val == 0) {
                return ioas.iopt().disableLargePages();
            }
            if (val == 1) {
                ioas.iopt().enableLargePages();
                return 0;
            }
            return Errno.EINVAL.ret();
        }
        return Errno.EOPNOTSUPP.ret();
    }

    /** {@code iommufd_vfio_ioas}: get, set or clear the IOAS the VFIO-compat ioctls use. */
    static long vfioIoas(Ucmd u) {
        if (u.get("__reserved") != 0) {
            return Errno.EOPNOTSUPP.ret();
        }
        long op = u.get("op");
        if (op == Structs.IOMMU_VFIO_IOAS_GET) {
            Ioas ioas = u.ictx().compatIoas();
            if (ioas == null) {
                return Errno.ENODEV.ret();
            }
            u.set("ioas_id", ioas.id());
            return u.respond();
        }
        if (op == Structs.IOMMU_VFIO_IOAS_SET) {
            Ioas ioas = ioas(u, u.get("ioas_id"));
            if (ioas == null) {
                return Errno.ENOENT.ret();
            }
            u.ictx().setCompatIoas(ioas);
            return 0;
        }
        if (op == Structs.IOMMU_VFIO_IOAS_CLEAR) {
            u.ictx().setCompatIoas(null);
            return 0;
        }
        return Errno.EOPNOTSUPP.ret();
    }
}
