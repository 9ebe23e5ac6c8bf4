package org.migtrace.sim.internal.vendor.v1;

import static org.migtrace.uapi.Structs.VFIO_DEVICE_MIGRATION_INFO;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.internal.vfio.DeviceRegion;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * The v1 migration region (device-specific region index 9): the 32-byte register block
 * ({@code struct vfio_device_migration_info}), a gap up to {@code data_offset}, then the data window.
 *
 * <p>Register accesses must be one whole field at its native width and alignment (uAPI: "Field
 * accesses from this structure are only supported at their native width and alignment. Otherwise,
 * the result is undefined and vendor drivers should return an error."); anything else is
 * {@code EINVAL}, as libvfio-user's {@code migration_region_access_registers} answers ("bad ...
 * access size", "bad migration region register offset"). An access that starts in the register
 * block and runs past it, or touches the gap, is {@code EINVAL} too (libvfio-user: "bad access to
 * dead space"). Read-only fields written → {@code EINVAL} (libvfio-user's handlers). The
 * {@code reserved} field reads 0 and ignores writes, as the 5.15 header specifies (libvfio-user
 * refuses it with EINVAL; the header wins here).
 */
final class MigrationRegion implements DeviceRegion {
    private static final int DEVICE_STATE = VFIO_DEVICE_MIGRATION_INFO.offset("device_state");
    private static final int RESERVED = VFIO_DEVICE_MIGRATION_INFO.offset("reserved");
    private static final int PENDING_BYTES = VFIO_DEVICE_MIGRATION_INFO.offset("pending_bytes");
    private static final int DATA_OFFSET = VFIO_DEVICE_MIGRATION_INFO.offset("data_offset");
    private static final List<StructLayout.Field> REGISTERS = VFIO_DEVICE_MIGRATION_INFO.fields();

    private final V1DeviceConfig config;
    private final V1Migration migration;

    MigrationRegion(V1DeviceConfig config, V1Migration migration) {
        this.config = config;
        this.migration = migration;
    }

    @Override
    public int index() {
        return Structs.VFIO_PCI_NUM_REGIONS;
    }

    @Override
    public long size() {
        return config.regionSize();
    }

    @Override
    public int flags() {
        int f = Structs.VFIO_REGION_INFO_FLAG_READ | Structs.VFIO_REGION_INFO_FLAG_WRITE;
        return config.mmapData() ? f | Structs.VFIO_REGION_INFO_FLAG_MMAP : f;
    }

    /**
     * Type capability first (vfio-pci core adds it for every device-specific region), then the
     * driver's own: the sparse-mmap area of the data window, and the NDMA capability.
     */
    @Override
    public List<byte[]> capabilities() {
        List<byte[]> caps = new ArrayList<>();
        caps.add(RegionCaps.type(Structs.VFIO_REGION_TYPE_MIGRATION, Structs.VFIO_REGION_SUBTYPE_MIGRATION));
        if (config.mmapData()) {
            caps.add(RegionCaps.sparseMmap(List.of(new long[] {config.dataOffset(), config.dataWindowBytes()})));
        }
        if (config.ndma()) {
            caps.add(RegionCaps.headerOnly(Structs.VFIO_REGION_INFO_CAP_MIG_NDMA));
        }
        return caps;
    }

    @Override
    public long read(KernelCtx ctx, long buf, long count, long offset) {
        if (offset + count <= V1DeviceConfig.REGISTER_BLOCK) {
            return readRegister(ctx, buf, count, (int) offset);
        }
        if (offset < config.dataOffset() || offset + count > size() || count > config.chunkLimit()) {
            return Errno.EINVAL.ret(); // no chunk is larger than the limit: such a read cannot be inside one
        }
        byte[] data = new byte[(int) count];
        long ret = migration.readData(offset - config.dataOffset(), data);
        if (ret < 0) {
            return ret;
        }
        return ctx.copyToUser(buf, data, data.length) ? count : Errno.EFAULT.ret();
    }

    @Override
    public long write(KernelCtx ctx, long buf, long count, long offset) {
        if (offset + count <= V1DeviceConfig.REGISTER_BLOCK) {
            return writeRegister(ctx, buf, count, (int) offset);
        }
        if (offset < config.dataOffset() || offset + count > size()) {
            return Errno.EINVAL.ret();
        }
        long ret = migration.writeData(count);
        if (ret < 0) {
            return ret;
        }
        // the bytes land in the window; the model keeps only their count (see ResumeSink)
        return ctx.copyFromUser(buf, (int) count) == null ? Errno.EFAULT.ret() : count;
    }

    private long readRegister(KernelCtx ctx, long buf, long count, int offset) {
        StructLayout.Field reg = register(offset, count);
        if (reg == null) {
            return Errno.EINVAL.ret();
        }
        long value;
        if (offset == DEVICE_STATE) {
            value = migration.state();
        } else if (offset == RESERVED) {
            value = 0;
        } else if (offset == PENDING_BYTES) {
            value = migration.readPending(ctx);
        } else if (offset == DATA_OFFSET) {
            value = migration.readDataOffset(ctx);
        } else {
            value = migration.readDataSize();
        }
        if (value < 0) {
            return value;
        }
        byte[] b = new byte[(int) count];
        reg.put(b, -offset, value); // the field's bytes alone
        return ctx.copyToUser(buf, b, b.length) ? count : Errno.EFAULT.ret();
    }

    private long writeRegister(KernelCtx ctx, long buf, long count, int offset) {
        StructLayout.Field reg = register(offset, count);
        if (reg == null) {
            return Errno.EINVAL.ret();
        }
        if (offset == RESERVED) {
            return count; // "writes are ignored"
        }
        if (offset == PENDING_BYTES || offset == DATA_OFFSET) {
            return Errno.EINVAL.ret(); // read-only
        }
        byte[] b = ctx.copyFromUser(buf, (int) count);
        if (b == null) {
            return Errno.EFAULT.ret();
        }
        long value = reg.get(b, -offset);
        long ret = offset == DEVICE_STATE ? migration.writeState(ctx, value) : migration.writeDataSize(value);
        return ret < 0 ? ret : count;
    }

    /** The register an access of {@code count} bytes at {@code offset} is, or null when it is not exactly one field. */
    private static StructLayout.Field register(int offset, long count) {
        for (StructLayout.Field f : REGISTERS) {
            if (f.offset() == offset && f.kind().width() == count) {
                return f;
            }
        }
        return null;
    }

    /**
     * Only the data window may be mapped (the sparse-mmap area); the register block stays trapped.
     * Outside it → {@code EINVAL}, as the i40e proposal's {@code i40e_vf_region_migration_mmap}
     * answers for any other offset.
     */
    @Override
    public long mmapCheck(KernelCtx ctx, long offset, long length) {
        long windowEnd = UserMemory.alignUp(config.regionSize(), UserMemory.PAGE_SIZE);
        if (!config.mmapData() || offset < config.dataOffset() || length > windowEnd - offset) {
            return Errno.EINVAL.ret();
        }
        return 0;
    }
}
