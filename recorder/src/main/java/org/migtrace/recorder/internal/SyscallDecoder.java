package org.migtrace.recorder.internal;

import static org.migtrace.trace.EventColumn.CMD;
import static org.migtrace.trace.EventColumn.COUNT;
import static org.migtrace.trace.EventColumn.DEVICE;
import static org.migtrace.trace.EventColumn.FD;
import static org.migtrace.trace.EventColumn.FD_KIND;
import static org.migtrace.trace.EventColumn.FLAGS;
import static org.migtrace.trace.EventColumn.LENGTH;
import static org.migtrace.trace.EventColumn.OBJECT;
import static org.migtrace.trace.EventColumn.OFFSET;
import static org.migtrace.trace.EventColumn.OP;
import static org.migtrace.trace.EventColumn.REQUESTED_STATE;
import static org.migtrace.trace.EventColumn.STATE_RAW;
import static org.migtrace.trace.EventColumn.TO_STATE;
import static org.migtrace.trace.EventColumn.VADDR;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.migtrace.sim.Sys;
import org.migtrace.uapi.FdKind;
import org.migtrace.uapi.Ioctl;
import org.migtrace.uapi.StructLayout;
import org.migtrace.uapi.Structs;

/**
 * One syscall's row contents from its entry and exit, as a tracer sees them: the op (ioctl by uAPI
 * name for the fd's kind, else the syscall name; an ioctl number the fd's kind does not define is
 * {@code ioctl} with its raw number), the fd and the object behind it, the arguments, and the
 * ioctl's struct decoded by {@link IoctlCodecs}. Accesses of a device fd are placed in the region
 * the VMM learned from {@code VFIO_DEVICE_GET_REGION_INFO}; 4- and 8-byte accesses of the v1
 * migration region's registers are decoded by register (a {@code device_state} write is the v1
 * state request, a read is the state the device reports).
 */
public final class SyscallDecoder {
    /** The op of an ioctl whose number the fd's kind does not define. */
    public static final String UNKNOWN_IOCTL = "ioctl";

    /** {@link #name} by ordinal: taken once per syscall row, so not lower-cased each time. */
    private static final String[] NAMES = Arrays.stream(Sys.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
            .toArray(String[]::new);

    private final DeviceRegions regions = new DeviceRegions();
    /** The last data fd's object and its device: a migration reads the same data fd thousands of times. */
    private String lastDataFd;
    private String lastDataFdDevice;

    /** What is known at entry; {@code mem} is the caller's memory as it was then. */
    public CallArgs enter(TracedCall e, UserBytes mem) {
        return enter(e, mem, new CallArgs());
    }

    /** As {@link #enter(TracedCall, UserBytes)}, into {@code c}, cleared first (a caller with one call in flight at a time keeps one). */
    public CallArgs enter(TracedCall e, UserBytes mem, CallArgs c) {
        c.clear();
        if (e.fd() >= 0) {
            c.column(FD, e.fd()).column(FD_KIND, e.fdKind().name());
        }
        c.column(OBJECT, e.object()).column(DEVICE, device(e)).column(OP, name(e.sys()));
        switch (e.sys()) {
            case IOCTL -> ioctlEnter(e, mem, c);
            case READ, WRITE -> c.column(COUNT, e.count());
            case PREAD64, PWRITE64 -> {
                c.column(COUNT, e.count()).column(OFFSET, e.offset());
                regionAccess(e, mem, c);
            }
            case MMAP -> {
                c.column(LENGTH, e.count()).column(FLAGS, e.cmd());
                if (e.fd() >= 0) {
                    c.column(OFFSET, e.offset());
                    place(e, c);
                }
            }
            case MUNMAP -> c.column(VADDR, e.arg()).column(LENGTH, e.count());
            default -> {
            }
        }
        return c;
    }

    private static void ioctlEnter(TracedCall e, UserBytes mem, CallArgs c) {
        Ioctl ioctl = ioctl(e);
        c.column(OP, ioctl == null ? UNKNOWN_IOCTL : ioctl.name()).column(CMD, e.cmd());
        IoctlCodec codec = ioctl == null ? null : IoctlCodecs.of(ioctl);
        if (codec != null) {
            codec.enter(mem, e.arg(), c);
        }
    }

    /** Completes {@code c} with what the call returned; {@code mem} is the caller's memory after the call. */
    public void exit(TracedCall e, UserBytes mem, long ret, CallArgs c) {
        switch (e.sys()) {
            case IOCTL -> {
                Ioctl ioctl = ioctl(e);
                IoctlCodec codec = ioctl == null ? null : IoctlCodecs.of(ioctl);
                if (codec != null) {
                    codec.exit(mem, e.arg(), ret, c);
                }
                if (ioctl == Ioctl.VFIO_DEVICE_GET_REGION_INFO && ret >= 0) {
                    learnRegion(e, c);
                }
            }
            case PREAD64 -> registerRead(e, mem, ret, c);
            case MMAP -> {
                if (ret >= 0) {
                    c.column(VADDR, ret);
                }
            }
            default -> {
            }
        }
    }

    /** {@code openat}, {@code pread64}, ...: the syscall's name as the kernel's tracepoints spell it. */
    public static String name(Sys sys) {
        return NAMES[sys.ordinal()];
    }

    private static Ioctl ioctl(TracedCall e) {
        // vfs_ioctl passes the command as an unsigned int
        return Ioctl.lookup(e.fdKind(), e.cmd() & 0xFFFF_FFFFL).orElse(null);
    }

    /** The device a device fd or a migration data fd belongs to ({@code <device>/mig-save-1}); null otherwise. */
    private String device(TracedCall e) {
        if (e.fd() < 0 || e.object() == null) {
            return null;
        }
        if (e.fdKind() == FdKind.DEVICE) {
            return e.object();
        }
        if (e.fdKind() == FdKind.MIG_DATA) {
            if (e.object() != lastDataFd) { // the same instance again: the same device, the same String
                int slash = e.object().indexOf('/');
                lastDataFdDevice = slash < 0 ? null : e.object().substring(0, slash);
                lastDataFd = e.object();
            }
            return lastDataFdDevice;
        }
        return null;
    }

    private DeviceRegions.Place place(TracedCall e, CallArgs c) {
        if (e.fdKind() != FdKind.DEVICE || e.object() == null) {
            return null;
        }
        DeviceRegions.Place p = regions.place(e.host(), e.object(), e.offset());
        if (p != null) {
            c.extra("region", (long) p.region().index()).extra("region_offset", p.regionOffset());
        }
        return p;
    }

    /** A pread/pwrite of a device fd: its region, and for a v1 register write the value written. */
    private void regionAccess(TracedCall e, UserBytes mem, CallArgs c) {
        DeviceRegions.Place p = place(e, c);
        if (p != null && e.sys() == Sys.PWRITE64 && p.region().index() == Structs.VFIO_PCI_CONFIG_REGION_INDEX) {
            configWrite(e, mem, c);
            return;
        }
        StructLayout.Field reg = p == null ? null : p.register(e.count());
        if (reg == null) {
            return;
        }
        c.extra("register", reg.name());
        if (e.sys() == Sys.PWRITE64) {
            Long v = value(mem, e.arg(), reg);
            c.in().put(reg.name(), v == null ? null : StructValues.value(reg, v));
            if (v != null && reg.name().equals("device_state")) {
                c.column(REQUESTED_STATE, StateNames.v1(v)).column(STATE_RAW, v);
            }
        }
    }

    /**
     * A config-space write of a register's width (1, 2 or 4 bytes, as QEMU passes a guest's config
     * write through): the value written, {@code in.value}, little-endian as in the config space. A
     * replay needs it: a write setting {@code PCI_EXP_DEVCTL_BCR_FLR} resets the function.
     */
    private static void configWrite(TracedCall e, UserBytes mem, CallArgs c) {
        if (e.count() != 1 && e.count() != 2 && e.count() != 4) {
            return;
        }
        Long v = littleEndian(mem, e.arg(), (int) e.count());
        if (v != null) {
            c.in().put("value", v);
        }
    }

    /** A successful read of a v1 register: its value (device_state: the state the device reports). */
    private void registerRead(TracedCall e, UserBytes mem, long ret, CallArgs c) {
        if (!(c.extra("register") instanceof String name) || ret != e.count()) {
            return;
        }
        DeviceRegions.Place p = regions.place(e.host(), e.object(), e.offset());
        StructLayout.Field reg = p == null ? null : p.register(e.count());
        Long v = reg == null ? null : value(mem, e.arg(), reg);
        if (v == null) {
            return;
        }
        c.out().put(name, StructValues.value(reg, v));
        if (name.equals("device_state")) {
            c.column(TO_STATE, StateNames.v1(v));
        }
    }

    /** The register's value in the user buffer at {@code buf} (little-endian, the register's width). */
    private static Long value(UserBytes mem, long buf, StructLayout.Field reg) {
        return littleEndian(mem, buf, reg.kind().width());
    }

    /** The {@code width}-byte little-endian value at {@code buf}, or null when it cannot be read. */
    private static Long littleEndian(UserBytes mem, long buf, int width) {
        byte[] b = mem.read(buf, width);
        if (b == null) {
            return null;
        }
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xFFL);
        }
        return v;
    }

    /** Remembers the region a successful GET_REGION_INFO described, with its type capability. */
    @SuppressWarnings("unchecked")
    private void learnRegion(TracedCall e, CallArgs c) {
        Map<String, Object> in = c.inOrNull();
        Map<String, Object> out = c.outOrNull();
        if (in == null || out == null || e.object() == null) {
            return;
        }
        Long index = StructValues.raw(in.get("index"));
        Long offset = StructValues.raw(out.get("offset"));
        Long size = StructValues.raw(out.get("size"));
        if (index == null || offset == null || size == null) {
            return;
        }
        long[] type = out.get("caps") instanceof List<?> caps
                ? CapChains.regionType((List<Map<String, Object>>) caps) : null;
        regions.learn(e.host(), e.object(), new DeviceRegions.Region(index.intValue(), offset, size,
                type == null ? -1 : type[0], type == null ? -1 : type[1]));
    }
}
