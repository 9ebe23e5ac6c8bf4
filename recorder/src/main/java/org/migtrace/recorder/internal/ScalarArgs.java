package org.migtrace.recorder.internal;

import java.nio.charset.StandardCharsets;
import org.migtrace.trace.EventColumn;

/**
 * The ioctls whose argument is not a struct: a value passed directly ({@code VFIO_CHECK_EXTENSION},
 * {@code VFIO_SET_IOMMU}), an {@code int} behind a pointer ({@code VFIO_GROUP_SET_CONTAINER}), a
 * NUL-terminated device name ({@code VFIO_GROUP_GET_DEVICE_FD}). Names follow the uAPI header's
 * comments, since there is no struct member to borrow one from.
 */
public final class ScalarArgs {
    /** {@code strndup_user(arg, PAGE_SIZE)} in {@code vfio_group_ioctl_get_device_fd}: names end within a page. */
    private static final int MAX_NAME = 4096;

    private ScalarArgs() {
    }

    /** The argument itself is the value, shown as {@code name}. */
    public static IoctlCodec value(String name) {
        return (mem, arg, call) -> call.in().put(name, StructValues.unsigned(arg));
    }

    /** The argument points at an {@code int}, shown as {@code name}. */
    public static IoctlCodec pointedInt(String name) {
        return (mem, arg, call) -> {
            byte[] b = mem.read(arg, 4);
            call.in().put(name, b == null ? null : (long) ((b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | b[3] << 24));
        };
    }

    /** The argument points at the device's name, which also fills the {@code device} column. */
    public static IoctlCodec deviceName() {
        return (mem, arg, call) -> {
            String name = string(mem, arg);
            call.in().put("name", name);
            call.column(EventColumn.DEVICE, name);
        };
    }

    /** The NUL-terminated string at {@code addr}; null if it faults before its end. */
    static String string(UserBytes mem, long addr) {
        byte[] buf = new byte[64];
        int n = 0;
        while (n < MAX_NAME) {
            byte[] one = mem.read(addr + n, 1);
            if (one == null) {
                return null;
            }
            if (one[0] == 0) {
                return new String(buf, 0, n, StandardCharsets.UTF_8);
            }
            if (n == buf.length) {
                buf = java.util.Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = one[0];
        }
        return null;
    }
}
