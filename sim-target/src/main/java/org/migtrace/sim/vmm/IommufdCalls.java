package org.migtrace.sim.vmm;

import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.Structs;

/**
 * What a VMM does with IOMMUFD (QEMU's {@code backends/iommufd.c} and {@code hw/vfio/iommufd.c}):
 * open {@code /dev/iommu}, allocate and map an IOAS, bind and attach a device cdev, allocate a
 * HWPT with dirty tracking, and start, read and stop tracking. Every call goes through the
 * thread's syscalls with its struct in the process's memory, and returns what the syscall
 * returned ({@code >= 0} or {@code -errno}); outputs land in {@code out}.
 */
public final class IommufdCalls {
    private final SimThread thread;
    private final UserMemory mem;

    public IommufdCalls(SimThread thread) {
        this.thread = thread;
        this.mem = thread.process().memory();
    }

    /** {@code open("/dev/iommu")}: the fd or {@code -errno}. */
    public long open() {
        return thread.open("/dev/iommu");
    }

    /** {@code IOMMU_IOAS_ALLOC}: the new IOAS id, or {@code -errno}. */
    public long ioasAlloc(int iommufd) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_ALLOC)) {
            s.set("size", Structs.IOMMU_IOAS_ALLOC.size());
            long rc = thread.ioctl(iommufd, Ioctl.IOMMU_IOAS_ALLOC.number(), s.addr());
            return rc < 0 ? rc : s.get("out_ioas_id");
        }
    }

    /**
     * {@code IOMMU_IOAS_MAP} of {@code length} bytes at {@code userVa}, readable and writeable; at
     * the fixed {@code iova}, or anywhere when {@code iova < 0}. The IOVA used (unsigned) goes to
     * {@code iovaOut[0]} on success.
     */
    public long ioasMap(int iommufd, long ioasId, long userVa, long length, long iova, long[] iovaOut) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_MAP)) {
            int flags = Structs.IOMMU_IOAS_MAP_READABLE | Structs.IOMMU_IOAS_MAP_WRITEABLE
                    | (iova >= 0 ? Structs.IOMMU_IOAS_MAP_FIXED_IOVA : 0);
            s.set("size", Structs.IOMMU_IOAS_MAP.size()).set("flags", flags).set("ioas_id", ioasId)
                    .set("user_va", userVa).set("length", length).set("iova", iova >= 0 ? iova : 0);
            long rc = thread.ioctl(iommufd, Ioctl.IOMMU_IOAS_MAP.number(), s.addr());
            if (rc == 0 && iovaOut != null) {
                iovaOut[0] = s.get("iova");
            }
            return rc;
        }
    }

    /** {@code IOMMU_IOAS_UNMAP}; the bytes unmapped go to {@code unmapped[0]} on success. */
    public long ioasUnmap(int iommufd, long ioasId, long iova, long length, long[] unmapped) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_IOAS_UNMAP)) {
            s.set("size", Structs.IOMMU_IOAS_UNMAP.size()).set("ioas_id", ioasId).set("iova", iova).set("length", length);
            long rc = thread.ioctl(iommufd, Ioctl.IOMMU_IOAS_UNMAP.number(), s.addr());
            if (rc == 0 && unmapped != null) {
                unmapped[0] = s.get("length");
            }
            return rc;
        }
    }

    /** {@code IOMMU_IOAS_UNMAP} of everything ({@code iova 0, length U64_MAX}). */
    public long ioasUnmapAll(int iommufd, long ioasId, long[] unmapped) {
        return ioasUnmap(iommufd, ioasId, 0, -1L, unmapped);
    }

    /** {@code IOMMU_DESTROY}. */
    public long destroy(int iommufd, long id) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_DESTROY)) {
            s.set("size", Structs.IOMMU_DESTROY.size()).set("id", id);
            return thread.ioctl(iommufd, Ioctl.IOMMU_DESTROY.number(), s.addr());
        }
    }

    /** {@code VFIO_DEVICE_BIND_IOMMUFD} on a cdev fd: the device id, or {@code -errno}. */
    public long bind(int deviceFd, int iommufd) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_DEVICE_BIND_IOMMUFD)) {
            s.set("argsz", Structs.VFIO_DEVICE_BIND_IOMMUFD.size()).set("iommufd", iommufd);
            long rc = thread.ioctl(deviceFd, Ioctl.VFIO_DEVICE_BIND_IOMMUFD.number(), s.addr());
            return rc < 0 ? rc : s.get("out_devid");
        }
    }

    /** {@code VFIO_DEVICE_ATTACH_IOMMUFD_PT} to an IOAS or HWPT: the HWPT id attached, or {@code -errno}. */
    public long attach(int deviceFd, long ptId) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_DEVICE_ATTACH_IOMMUFD_PT)) {
            s.set("argsz", Structs.VFIO_DEVICE_ATTACH_IOMMUFD_PT.size()).set("pt_id", ptId);
            long rc = thread.ioctl(deviceFd, Ioctl.VFIO_DEVICE_ATTACH_IOMMUFD_PT.number(), s.addr());
            return rc < 0 ? rc : s.get("pt_id");
        }
    }

    /** {@code VFIO_DEVICE_DETACH_IOMMUFD_PT}. */
    public long detach(int deviceFd) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_DEVICE_DETACH_IOMMUFD_PT)) {
            s.set("argsz", Structs.VFIO_DEVICE_DETACH_IOMMUFD_PT.size());
            return thread.ioctl(deviceFd, Ioctl.VFIO_DEVICE_DETACH_IOMMUFD_PT.number(), s.addr());
        }
    }

    /** {@code IOMMU_GET_HW_INFO}: {@code out_capabilities}, or {@code -errno}. */
    public long hwCapabilities(int iommufd, long devId) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_HW_INFO)) {
            s.set("size", Structs.IOMMU_HW_INFO.size()).set("dev_id", devId);
            long rc = thread.ioctl(iommufd, Ioctl.IOMMU_GET_HW_INFO.number(), s.addr());
            return rc < 0 ? rc : s.get("out_capabilities");
        }
    }

    /** {@code IOMMU_HWPT_ALLOC} on an IOAS: the HWPT id, or {@code -errno}. */
    public long hwptAlloc(int iommufd, long devId, long ioasId, int flags) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_HWPT_ALLOC)) {
            s.set("size", Structs.IOMMU_HWPT_ALLOC.size()).set("flags", flags).set("dev_id", devId).set("pt_id", ioasId);
            long rc = thread.ioctl(iommufd, Ioctl.IOMMU_HWPT_ALLOC.number(), s.addr());
            return rc < 0 ? rc : s.get("out_hwpt_id");
        }
    }

    /** {@code IOMMU_HWPT_ALLOC} with {@code IOMMU_HWPT_ALLOC_DIRTY_TRACKING}. */
    public long hwptAllocDirty(int iommufd, long devId, long ioasId) {
        return hwptAlloc(iommufd, devId, ioasId, Structs.IOMMU_HWPT_ALLOC_DIRTY_TRACKING);
    }

    /** {@code IOMMU_HWPT_SET_DIRTY_TRACKING}. */
    public long setDirtyTracking(int iommufd, long hwptId, boolean enable) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_HWPT_SET_DIRTY_TRACKING)) {
            s.set("size", Structs.IOMMU_HWPT_SET_DIRTY_TRACKING.size())
                    .set("flags", enable ? Structs.IOMMU_HWPT_DIRTY_TRACKING_ENABLE : 0).set("hwpt_id", hwptId);
            return thread.ioctl(iommufd, Ioctl.IOMMU_HWPT_SET_DIRTY_TRACKING.number(), s.addr());
        }
    }

    /**
     * The bytes of bitmap {@code IOMMU_HWPT_GET_DIRTY_BITMAP} needs for {@code length} bytes of
     * IOVA at {@code pageSize} (one bit per page, rounded up to whole u64s as QEMU allocates it).
     */
    public static long bitmapBytes(long length, long pageSize) {
        long bits = Long.divideUnsigned(length + pageSize - 1, pageSize);
        return ((bits + 63) >>> 6) * 8;
    }

    /** Allocates a zeroed bitmap for {@code length} bytes of IOVA, placed {@code misalign} bytes into its buffer. */
    public long allocBitmap(long length, long pageSize, int misalign) {
        return mem.malloc(bitmapBytes(length, pageSize) + misalign) + misalign;
    }

    /** {@code IOMMU_HWPT_GET_DIRTY_BITMAP} into the bitmap at {@code data} (which the caller zeroed). */
    public long getDirtyBitmap(int iommufd, long hwptId, long iova, long length, long pageSize, long data, boolean noClear) {
        try (UStruct s = new UStruct(mem, Structs.IOMMU_HWPT_GET_DIRTY_BITMAP)) {
            s.set("size", Structs.IOMMU_HWPT_GET_DIRTY_BITMAP.size()).set("hwpt_id", hwptId)
                    .set("flags", noClear ? Structs.IOMMU_HWPT_GET_DIRTY_BITMAP_NO_CLEAR : 0)
                    .set("iova", iova).set("length", length).set("page_size", pageSize).set("data", data);
            return thread.ioctl(iommufd, Ioctl.IOMMU_HWPT_GET_DIRTY_BITMAP.number(), s.addr());
        }
    }

    /** Whether bit {@code n} of the user bitmap at {@code data} is set. */
    public boolean bit(long data, long n) {
        byte[] b = mem.copyFrom(data + n / 8, 1);
        return (b[0] & (1 << (n % 8))) != 0;
    }

    /** Number of set bits in the first {@code nbits} of the user bitmap at {@code data}. */
    public long countBits(long data, long nbits) {
        byte[] b = mem.copyFrom(data, (int) ((nbits + 7) / 8));
        long n = 0;
        for (long i = 0; i < nbits; i++) {
            if ((b[(int) (i / 8)] & (1 << (i % 8))) != 0) {
                n++;
            }
        }
        return n;
    }
}
