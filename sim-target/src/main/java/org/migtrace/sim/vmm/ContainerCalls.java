package org.migtrace.sim.vmm;

import static org.migtrace.uapi.Structs.VFIO_INFO_CAP_HEADER;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.mem.Bitmap;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The VMM's calls into the legacy VFIO container and type1 backend, the way QEMU's
 * {@code hw/vfio/container.c} makes them: every struct is placed in the process's memory and
 * passed by address through {@link SimThread#ioctl}; results are the raw return values
 * ({@code >= 0} or {@code -errno}) plus what the kernel wrote back.
 */
public final class ContainerCalls {
    /** {@code VFIO_GROUP_STATUS} result. */
    public record GroupStatus(long ret, long flags) {
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} result: {@code size} is what the kernel wrote back (unchanged on failure). */
    public record Unmapped(long ret, long size) {
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} with GET_DIRTY_BITMAP: the written-back size and the bitmap. */
    public record UnmappedWithBitmap(long ret, long size, UserBitmap bitmap) {
    }

    /** A dirty bitmap read back from the user buffer: {@code words} as the kernel left them. */
    public record UserBitmap(long ret, long npages, long[] words) {
        /** The bits of the range as a {@link Bitmap} (anything written past {@code npages} dropped). */
        public Bitmap toBitmap() {
            Bitmap b = new Bitmap(npages);
            long[] w = b.words();
            System.arraycopy(words, 0, w, 0, w.length);
            if ((npages & 63) != 0 && w.length > 0) {
                w[w.length - 1] &= (1L << npages) - 1;
            }
            return b;
        }

        public boolean get(long bit) {
            return (words[(int) (bit >>> 6)] & (1L << bit)) != 0;
        }
    }

    /** The migration capability of {@code VFIO_IOMMU_GET_INFO}. */
    public record Migration(long flags, long pgsizeBitmap, long maxDirtyBitmapSize) {
    }

    /** One {@code struct vfio_iova_range} (inclusive end). */
    public record IovaWindow(long start, long end) {
    }

    /**
     * {@code VFIO_IOMMU_GET_INFO} decoded: {@code migration} null and {@code dmaAvail} -1 when
     * the capability is absent.
     */
    public record Info(long ret, long argsz, long flags, long iovaPgsizes, Migration migration, long dmaAvail,
                       List<IovaWindow> iovaRanges) {
    }

    private final SimThread thread;
    private final UserMemory mem;

    public ContainerCalls(SimThread thread) {
        this.thread = thread;
        this.mem = thread.process().memory();
    }

    public long openContainer() {
        return thread.open("/dev/vfio/vfio");
    }

    public long openGroup(int group) {
        return thread.open("/dev/vfio/" + group);
    }

    public long apiVersion(int container) {
        return thread.ioctl(container, Ioctl.VFIO_GET_API_VERSION.number(), 0);
    }

    public long checkExtension(int container, long extension) {
        return thread.ioctl(container, Ioctl.VFIO_CHECK_EXTENSION.number(), extension);
    }

    public long setIommu(int container, long type) {
        return thread.ioctl(container, Ioctl.VFIO_SET_IOMMU.number(), type);
    }

    public GroupStatus groupStatus(int group) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_GROUP_STATUS)) {
            s.set("argsz", Structs.VFIO_GROUP_STATUS.size());
            long ret = thread.ioctl(group, Ioctl.VFIO_GROUP_GET_STATUS.number(), s.addr());
            return new GroupStatus(ret, s.get("flags"));
        }
    }

    /** {@code VFIO_GROUP_SET_CONTAINER}: the container fd is passed by pointer. */
    public long setContainer(int group, int container) {
        long p = mem.malloc(4);
        try {
            mem.write(p, new byte[] {(byte) container, (byte) (container >> 8), (byte) (container >> 16),
                    (byte) (container >> 24)}, 0, 4);
            return thread.ioctl(group, Ioctl.VFIO_GROUP_SET_CONTAINER.number(), p);
        } finally {
            mem.free(p);
        }
    }

    public long unsetContainer(int group) {
        return thread.ioctl(group, Ioctl.VFIO_GROUP_UNSET_CONTAINER.number(), 0);
    }

    /** {@code VFIO_GROUP_GET_DEVICE_FD} with the device name as a NUL-terminated string. */
    public long getDeviceFd(int group, String name) {
        byte[] s = name.getBytes(StandardCharsets.UTF_8);
        long p = mem.malloc(s.length + 1L);
        try {
            mem.write(p, s, 0, s.length);
            return thread.ioctl(group, Ioctl.VFIO_GROUP_GET_DEVICE_FD.number(), p);
        } finally {
            mem.free(p);
        }
    }

    /**
     * {@code VFIO_IOMMU_GET_INFO} as QEMU asks it: first with {@code argsz = sizeof(info)}, again
     * with the size the kernel asked for when the capability chain did not fit.
     */
    public Info getInfo(int container) {
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_INFO;
        long argsz = l.size();
        while (true) {
            try (UStruct s = new UStruct(mem, l, (int) argsz - l.size())) {
                s.set("argsz", argsz);
                long ret = thread.ioctl(container, Ioctl.VFIO_IOMMU_GET_INFO.number(), s.addr());
                long want = s.get("argsz");
                if (ret < 0 || want <= argsz) {
                    return decodeInfo(ret, s.bytes());
                }
                argsz = want;
            }
        }
    }

    private static Info decodeInfo(long ret, byte[] b) {
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_INFO;
        long flags = l.field("flags").get(b, 0);
        Migration migration = null;
        long dmaAvail = -1;
        List<IovaWindow> ranges = new ArrayList<>();
        long off = (flags & Structs.VFIO_IOMMU_INFO_CAPS) != 0 ? l.field("cap_offset").get(b, 0) : 0;
        while (off != 0 && off + VFIO_INFO_CAP_HEADER.size() <= b.length) {
            int at = (int) off;
            long id = VFIO_INFO_CAP_HEADER.field("id").get(b, at);
            if (id == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION) {
                StructLayout m = Structs.VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION_STRUCT;
                migration = new Migration(m.field("flags").get(b, at), m.field("pgsize_bitmap").get(b, at),
                        m.field("max_dirty_bitmap_size").get(b, at));
            } else if (id == Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL) {
                dmaAvail = Structs.VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL_STRUCT.field("avail").get(b, at);
            } else if (id == Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE) {
                StructLayout c = Structs.VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE_STRUCT;
                long n = c.field("nr_iovas").get(b, at);
                for (int i = 0; i < n; i++) {
                    int r = at + c.size() + i * Structs.VFIO_IOVA_RANGE.size();
                    ranges.add(new IovaWindow(Structs.VFIO_IOVA_RANGE.field("start").get(b, r),
                            Structs.VFIO_IOVA_RANGE.field("end").get(b, r)));
                }
            }
            off = VFIO_INFO_CAP_HEADER.field("next").get(b, at);
        }
        return new Info(ret, l.field("argsz").get(b, 0), flags, l.field("iova_pgsizes").get(b, 0), migration,
                dmaAvail, List.copyOf(ranges));
    }

    /** {@code VFIO_IOMMU_MAP_DMA}. */
    public long mapDma(int container, long vaddr, long iova, long size, long flags) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_IOMMU_TYPE1_DMA_MAP)) {
            s.set("argsz", Structs.VFIO_IOMMU_TYPE1_DMA_MAP.size()).set("flags", flags).set("vaddr", vaddr)
                    .set("iova", iova).set("size", size);
            return thread.ioctl(container, Ioctl.VFIO_IOMMU_MAP_DMA.number(), s.addr());
        }
    }

    /** {@code VFIO_IOMMU_MAP_DMA} of a readable and writable mapping. */
    public long mapDma(int container, long vaddr, long iova, long size) {
        return mapDma(container, vaddr, iova, size, Structs.VFIO_DMA_MAP_FLAG_READ | Structs.VFIO_DMA_MAP_FLAG_WRITE);
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} without a bitmap. */
    public Unmapped unmapDma(int container, long iova, long size, long flags) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP)) {
            s.set("argsz", Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP.size()).set("flags", flags).set("iova", iova)
                    .set("size", size);
            long ret = thread.ioctl(container, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), s.addr());
            return new Unmapped(ret, s.get("size"));
        }
    }

    /** {@code VFIO_IOMMU_UNMAP_DMA} with GET_DIRTY_BITMAP: a zeroed bitmap is allocated for the range. */
    public UnmappedWithBitmap unmapDmaGetBitmap(int container, long iova, long size, long pgsize) {
        StructLayout l = Structs.VFIO_IOMMU_TYPE1_DMA_UNMAP;
        long npages = size / pgsize;
        long bytes = Bitmap.wordsFor(npages) << 3;
        long buf = mem.malloc(bytes);
        try (UStruct s = new UStruct(mem, l, Structs.VFIO_BITMAP.size())) {
            s.set("argsz", l.size() + Structs.VFIO_BITMAP.size())
                    .set("flags", Structs.VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP).set("iova", iova).set("size", size);
            byte[] bm = new byte[Structs.VFIO_BITMAP.size()];
            Structs.VFIO_BITMAP.field("pgsize").put(bm, 0, pgsize);
            Structs.VFIO_BITMAP.field("size").put(bm, 0, bytes);
            Structs.VFIO_BITMAP.field("data").put(bm, 0, buf);
            s.payload(bm);
            long ret = thread.ioctl(container, Ioctl.VFIO_IOMMU_UNMAP_DMA.number(), s.addr());
            return new UnmappedWithBitmap(ret, s.get("size"), read(ret, npages, buf, bytes));
        } finally {
            mem.free(buf);
        }
    }

    public long dirtyStart(int container) {
        return dirtyPages(container, Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_START);
    }

    public long dirtyStop(int container) {
        return dirtyPages(container, Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP);
    }

    /** {@code VFIO_IOMMU_DIRTY_PAGES} with just the header and {@code flags}. */
    public long dirtyPages(int container, long flags) {
        try (UStruct s = new UStruct(mem, Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP)) {
            s.set("argsz", Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP.size()).set("flags", flags);
            return thread.ioctl(container, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), s.addr());
        }
    }

    /** GET_BITMAP into a freshly allocated, zeroed bitmap covering the range (as QEMU does). */
    public UserBitmap dirtyGet(int container, long iova, long size, long pgsize) {
        long npages = size / pgsize;
        long bytes = Bitmap.wordsFor(npages) << 3;
        long buf = mem.malloc(bytes);
        try {
            long ret = dirtyGet(container, iova, size, pgsize, buf, bytes);
            return read(ret, npages, buf, bytes);
        } finally {
            mem.free(buf);
        }
    }

    /** GET_BITMAP into the caller's buffer at {@code data} of {@code bitmapSize} bytes. */
    public long dirtyGet(int container, long iova, long size, long pgsize, long data, long bitmapSize) {
        StructLayout h = Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP;
        StructLayout g = Structs.VFIO_IOMMU_TYPE1_DIRTY_BITMAP_GET;
        try (UStruct s = new UStruct(mem, h, g.size())) {
            s.set("argsz", h.size() + g.size()).set("flags", Structs.VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP);
            byte[] range = new byte[g.size()];
            g.field("iova").put(range, 0, iova);
            g.field("size").put(range, 0, size);
            g.field("bitmap.pgsize").put(range, 0, pgsize);
            g.field("bitmap.size").put(range, 0, bitmapSize);
            g.field("bitmap.data").put(range, 0, data);
            s.payload(range);
            return thread.ioctl(container, Ioctl.VFIO_IOMMU_DIRTY_PAGES.number(), s.addr());
        }
    }

    private UserBitmap read(long ret, long npages, long buf, long bytes) {
        long[] words = new long[(int) (bytes >>> 3)];
        mem.readLongs(buf, words, 0, words.length);
        return new UserBitmap(ret, npages, words);
    }
}
