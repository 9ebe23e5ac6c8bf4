package org.migtrace.sim.internal.vendor.v1;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.DeviceStateEvent;
import org.migtrace.sim.SimClock;
import org.migtrace.sim.SimHost;
import org.migtrace.sim.SimObserver;
import org.migtrace.sim.SimThread;
import org.migtrace.sim.internal.pci.PciCore;
import org.migtrace.sim.internal.vfio.VfioDevice;
import org.migtrace.sim.internal.vfio.VfioDeviceFile;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.vendor.V1DeviceConfig;
import org.migtrace.sim.vendor.V1Devices;
import org.migtrace.uapi.Ioctl;

/**
 * One host with one v1 device opened by a VMM process: register and data-window access through
 * pread/pwrite on the device fd, as QEMU does it.
 */
final class V1Rig {
    static final long MIG = PciCore.indexToOffset(9);
    static final long DEVICE_STATE = MIG;
    static final long RESERVED = MIG + 4;
    static final long PENDING = MIG + 8;
    static final long DATA_OFFSET = MIG + 16;
    static final long DATA_SIZE = MIG + 24;

    final SimClock clock;
    final SimHost host;
    final VfioDevice device;
    final SimThread t;
    final UserMemory mem;
    final int fd;
    final long buf;
    final List<DeviceStateEvent> events = new ArrayList<>();

    V1Rig(V1DeviceConfig config) {
        this(config, new SimClock(), "src");
    }

    V1Rig(V1DeviceConfig config, SimClock clock, String hostName) {
        this.clock = clock;
        this.host = new SimHost(hostName, clock);
        this.device = V1Devices.register(host, "0000:3b:00.1", 12, config);
        host.registerDevNode("/dev/test/dev0", ctx -> VfioDeviceFile.openViaGroup(ctx, device));
        host.addObserver(new SimObserver() {
            @Override
            public void deviceState(DeviceStateEvent e) {
                events.add(e);
            }
        });
        this.t = host.spawn("qemu", 100).mainThread();
        this.mem = t.process().memory();
        this.fd = (int) t.open("/dev/test/dev0");
        this.buf = mem.malloc(1 << 20);
    }

    V1Vendor vendor() {
        return (V1Vendor) ((PciCore) device.driver()).vendor();
    }

    /** pread of {@code width} bytes: the little-endian value, or -errno. */
    long read(long off, int width) {
        mem.putLong(buf, 0);
        long ret = t.pread(fd, buf, width, off);
        if (ret < 0) {
            return ret;
        }
        long v = mem.getLong(buf);
        return width == 8 ? v : v & ((1L << (8 * width)) - 1);
    }

    /** pwrite of {@code width} bytes of {@code value}: the syscall's return. */
    long write(long off, int width, long value) {
        mem.putLong(buf, value);
        return t.pwrite(fd, buf, width, off);
    }

    long state() {
        return read(DEVICE_STATE, 4);
    }

    /** Writes device_state: 4 on success, -errno otherwise. */
    long setState(long v) {
        return write(DEVICE_STATE, 4, v);
    }

    long pending() {
        return read(PENDING, 8);
    }

    long dataOffset() {
        return read(DATA_OFFSET, 8);
    }

    long dataSize() {
        return read(DATA_SIZE, 8);
    }

    /** Reads {@code n} bytes of the region at {@code regionOffset}: the bytes, or null (then {@link #lastRet}). */
    byte[] readData(long regionOffset, int n) {
        lastRet = t.pread(fd, buf, n, MIG + regionOffset);
        return lastRet < 0 ? null : mem.copyFrom(buf, n);
    }

    long lastRet;

    long reset() {
        return t.ioctl(fd, Ioctl.VFIO_DEVICE_RESET.number(), 0);
    }

    /** One save round as the uAPI describes it (pending read already done): offset, size, data. Returns the size. */
    long collectChunk() {
        long off = dataOffset();
        long size = dataSize();
        if (off < 0 || size < 0) {
            throw new AssertionError("chunk description failed: " + off + ", " + size);
        }
        if (size > 0 && readData(off, (int) size) == null) {
            throw new AssertionError("data read failed: " + lastRet);
        }
        return size;
    }

    /** Drains the current phase: loops pending → chunk until pending is 0; the bytes collected. */
    long drain() {
        long total = 0;
        while (pending() > 0) {
            total += collectChunk();
        }
        return total;
    }
}
