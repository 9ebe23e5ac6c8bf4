package org.migtrace.sim.vmm;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.Syscalls;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.Structs;

/**
 * How QEMU's v1 code moves bytes in and out of the migration region: registers and trapped data by
 * pread/pwrite (QEMU 6.0+ {@code vfio_mig_rw} splits them into aligned pieces of at most 8 bytes,
 * 5.2 makes one call), mapped data through the region's mmaps ({@code get_data_section_size}).
 */
final class V1DataPath {
    /** A live mmap of one sparse area of the migration region. */
    private record Mapping(long areaOffset, long size, long addr) {
    }

    private final SimThread thread;
    private final int fd;
    private final V1Calls.Qemu qemu;
    private final UserMemory mem;
    private final VfioRegions.Info region;
    private final List<Mapping> mmaps = new ArrayList<>();

    V1DataPath(SimThread thread, int fd, V1Calls.Qemu qemu, VfioRegions.Info region) {
        this.thread = thread;
        this.fd = fd;
        this.qemu = qemu;
        this.mem = thread.process().memory();
        this.region = region;
    }

    /**
     * {@code vfio_region_mmap}: each non-empty sparse area, or the whole region when it is mmap-able
     * without a sparse capability; on a failure what was mapped is unmapped and the error returned.
     */
    long mmap() {
        if ((region.flags() & Structs.VFIO_REGION_INFO_FLAG_MMAP) == 0 || !mmaps.isEmpty()) {
            return 0;
        }
        List<long[]> areas = region.sparseAreas();
        if (region.cap(Structs.VFIO_REGION_INFO_CAP_SPARSE_MMAP) == null) {
            areas = List.of(new long[] {0, region.size()});
        }
        for (long[] a : areas) {
            if (a[1] == 0) {
                continue;
            }
            long addr = thread.mmap(a[1], Syscalls.PROT_READ | Syscalls.PROT_WRITE, Syscalls.MAP_SHARED, fd,
                    region.offset() + a[0]);
            if (addr < 0) {
                unmap();
                return addr;
            }
            mmaps.add(new Mapping(a[0], a[1], addr));
        }
        return 0;
    }

    /** {@code vfio_region_unmap}. */
    void unmap() {
        for (Mapping m : mmaps) {
            thread.munmap(m.addr(), m.size());
        }
        mmaps.clear();
    }

    /**
     * {@code get_data_section_size}: {@code {address, size}} of the next piece of a chunk at region
     * offset {@code dataOffset} with {@code dataSize} bytes left: inside a mapped area, the mapping
     * (address ≠ 0) up to the area's end; outside, a trapped piece (address 0) up to the next area.
     * QEMU 5.2 neither clamps a trapped piece to {@code dataSize} nor, without mmaps, to the region.
     */
    long[] section(long dataOffset, long dataSize) {
        if (mmaps.isEmpty()) {
            return new long[] {0, qemu == V1Calls.Qemu.V5_2 ? dataSize : Math.min(dataSize, region.size() - dataOffset)};
        }
        long limit = 0;
        for (Mapping m : mmaps) {
            if (dataOffset >= m.areaOffset() && dataOffset < m.areaOffset() + m.size()) {
                return new long[] {m.addr() + dataOffset - m.areaOffset(),
                    Math.min(dataSize, m.areaOffset() + m.size() - dataOffset)};
            }
            if (dataOffset < m.areaOffset() && (limit == 0 || limit > m.areaOffset())) {
                limit = m.areaOffset();
            }
        }
        if (limit == 0) {
            return new long[] {0, dataSize};
        }
        long upToArea = limit - dataOffset;
        return new long[] {0, qemu == V1Calls.Qemu.V5_2 ? upToArea : Math.min(dataSize, upToArea)};
    }

    /** Reads a section found by {@link #section}: its bytes, or null with the errno in {@code err[0]}. */
    byte[] readSection(long[] sec, long regionOffset, long[] err) {
        if (sec[0] != 0) {
            return mem.copyFrom(sec[0], (int) sec[1]);
        }
        long buf = mem.malloc(sec[1]);
        long ret = rw(buf, sec[1], region.offset() + regionOffset, false);
        byte[] bytes = mem.copyFrom(buf, (int) sec[1]);
        mem.free(buf);
        err[0] = ret;
        return ret < 0 ? null : bytes;
    }

    /** Writes {@code sec[1]} bytes of {@code data} from {@code from} into a section: 0 or {@code -errno}. */
    long writeSection(long[] sec, byte[] data, int from, long regionOffset) {
        if (sec[0] != 0) {
            mem.write(sec[0], data, from, (int) sec[1]);
            return 0;
        }
        long buf = mem.malloc(sec[1]);
        mem.write(buf, data, from, (int) sec[1]);
        long ret = rw(buf, sec[1], region.offset() + regionOffset, true);
        mem.free(buf);
        return ret;
    }

    /** A register access of {@code width} bytes at {@code buf}: 0 or {@code -errno}. */
    long register(long buf, int field, int width, boolean write) {
        return rw(buf, width, region.offset() + field, write);
    }

    /**
     * QEMU 6.0+ {@code vfio_mig_rw}: pieces of 8, 4, 2 or 1 bytes as size and alignment allow, each
     * through {@code vfio_mig_access} (a short transfer is {@code -EINVAL}). QEMU 5.2: one call.
     */
    private long rw(long buf, long count, long fileOffset, boolean write) {
        long done = 0;
        while (done < count) {
            long left = count - done;
            long off = fileOffset + done;
            long n = qemu == V1Calls.Qemu.V5_2 ? left : piece(left, off);
            long ret = write ? thread.pwrite(fd, buf + done, n, off) : thread.pread(fd, buf + done, n, off);
            if (ret < n) {
                return ret < 0 ? ret : Errno.EINVAL.ret();
            }
            done += n;
        }
        return 0;
    }

    private static long piece(long left, long off) {
        if (left >= 8 && off % 8 == 0) {
            return 8;
        } else if (left >= 4 && off % 4 == 0) {
            return 4;
        }
        return left >= 2 && off % 2 == 0 ? 2 : 1;
    }
}
