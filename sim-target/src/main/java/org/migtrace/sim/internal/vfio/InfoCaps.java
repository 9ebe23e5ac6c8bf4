package org.migtrace.sim.internal.vfio;

import static org.migtrace.uapi.Structs.VFIO_INFO_CAP_HEADER;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.uapi.Errno;
import org.migtrace.uapi.StructLayout;

/**
 * The capability chains of the VFIO info ioctls ({@code drivers/vfio/vfio_main.c}:
 * {@code vfio_info_cap_add}, {@code vfio_info_cap_shift}, and the callers' copy-out): each
 * capability starts with a {@code vfio_info_cap_header} (version 1) and is kept u64-aligned; the
 * chain follows the info struct, linked by {@code next} offsets from the struct's start. If
 * {@code argsz} leaves no room for it, {@code argsz} reports the size needed and {@code cap_offset}
 * stays 0.
 */
public final class InfoCaps {
    private InfoCaps() {
    }

    /** A zeroed capability of {@code size} bytes (header included) with its header's id and version set. */
    public static byte[] create(int size, int id) {
        byte[] b = new byte[size];
        VFIO_INFO_CAP_HEADER.field("id").put(b, 0, id);
        VFIO_INFO_CAP_HEADER.field("version").put(b, 0, 1);
        return b;
    }

    /** The chain of {@code caps} as it lands right after a struct of {@code base} bytes. */
    public static byte[] chain(List<byte[]> caps, int base) {
        int total = 0;
        for (byte[] c : caps) {
            total += (int) UserMemory.alignUp(c.length, 8);
        }
        byte[] out = new byte[total];
        int at = 0;
        for (int i = 0; i < caps.size(); i++) {
            byte[] c = caps.get(i);
            System.arraycopy(c, 0, out, at, c.length);
            int next = at + (int) UserMemory.alignUp(c.length, 8);
            VFIO_INFO_CAP_HEADER.field("next").put(out, at, i + 1 < caps.size() ? base + next : 0);
            at = next;
        }
        return out;
    }

    /**
     * Writes the chain of {@code caps} after the info struct {@code layout} at {@code arg} and sets
     * {@code cap_offset} in {@code info} (the struct's bytes, copied back by the caller); or, when
     * {@code argsz} has no room for it, sets {@code argsz} to the size needed and {@code cap_offset}
     * to 0. 0, or {@code -EFAULT} when the chain cannot be written.
     */
    public static long copyOut(KernelCtx ctx, long arg, byte[] info, StructLayout layout, long argsz,
                               List<byte[]> caps) {
        int structSize = layout.size();
        byte[] chain = chain(caps, structSize);
        if (argsz < structSize + chain.length) {
            layout.field("argsz").put(info, 0, structSize + chain.length);
            layout.field("cap_offset").put(info, 0, 0);
            return 0;
        }
        if (!ctx.copyToUser(arg + structSize, chain, chain.length)) {
            return Errno.EFAULT.ret();
        }
        layout.field("cap_offset").put(info, 0, structSize);
        return 0;
    }
}
