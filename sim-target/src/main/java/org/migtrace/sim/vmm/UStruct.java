package org.migtrace.sim.vmm;

import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.StructLayout;

/**
 * A uAPI struct the VMM placed in its own memory, ready to pass to an ioctl: the user-space half
 * of the boundary (QEMU filling {@code struct vfio_device_feature} on its stack, say). Fields are
 * set and read by their C names; {@code extraBytes} leaves room for a payload after the struct
 * (the {@code data[]} of {@code vfio_device_feature}).
 */
public final class UStruct implements AutoCloseable {
    private final UserMemory mem;
    private final StructLayout layout;
    private final long addr;
    private final int total;

    public UStruct(UserMemory mem, StructLayout layout) {
        this(mem, layout, 0);
    }

    public UStruct(UserMemory mem, StructLayout layout, int extraBytes) {
        this.mem = mem;
        this.layout = layout;
        this.total = layout.size() + extraBytes;
        this.addr = mem.malloc(total);
    }

    /** The struct's user address (the ioctl argument). */
    public long addr() {
        return addr;
    }

    public StructLayout layout() {
        return layout;
    }

    /** Sets a member. */
    public UStruct set(String field, long value) {
        byte[] b = bytes();
        layout.field(field).put(b, 0, value);
        write(b);
        return this;
    }

    /** Reads a member (as the kernel left it). */
    public long get(String field) {
        return layout.field(field).get(bytes(), 0);
    }

    /** The struct and payload bytes as they are in memory now. */
    public byte[] bytes() {
        byte[] b = mem.copyFrom(addr, total);
        if (b == null) {
            throw new IllegalStateException("struct " + layout.name() + " was freed");
        }
        return b;
    }

    /** Overwrites the payload area after the struct with {@code payload}. */
    public UStruct payload(byte[] payload) {
        if (payload.length > total - layout.size()) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes does not fit");
        }
        mem.write(addr + layout.size(), payload, 0, payload.length);
        return this;
    }

    private void write(byte[] b) {
        if (!mem.write(addr, b, 0, b.length)) {
            throw new IllegalStateException("struct " + layout.name() + " was freed");
        }
    }

    @Override
    public void close() {
        mem.free(addr);
    }
}
