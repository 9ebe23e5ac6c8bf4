package org.migtrace.sim.internal.vfio;

import java.util.List;
import org.migtrace.sim.internal.kernel.KernelCtx;

/**
 * One region of a device fd (a BAR, config space, or a device-specific region such as the v1
 * migration region), as {@code VFIO_DEVICE_GET_REGION_INFO} describes it and as reads, writes and
 * mmaps of the device fd reach it. vfio-pci places region {@code index} at file offset
 * {@code index << VFIO_PCI_OFFSET_SHIFT}; offsets passed here are relative to the region.
 */
public interface DeviceRegion {
    /** The region index ({@code VFIO_PCI_*_REGION_INDEX}, or 9+ for device-specific regions). */
    int index();

    /** Region size in bytes. */
    long size();

    /** {@code VFIO_REGION_INFO_FLAG_*} (READ, WRITE, MMAP; CAPS is added by the core when {@link #capabilities()} is not empty). */
    int flags();

    /**
     * Capability structs for the region info chain, each encoded with its {@code vfio_info_cap_header}
     * ({@code next} left 0: the core links them and fixes the offsets). Empty if none.
     */
    List<byte[]> capabilities();

    /** Reads {@code count} bytes at region offset {@code offset} into user memory at {@code buf}. */
    long read(KernelCtx ctx, long buf, long count, long offset);

    /** Writes {@code count} bytes from user memory at {@code buf} to region offset {@code offset}. */
    long write(KernelCtx ctx, long buf, long count, long offset);

    /** Whether {@code [offset, offset + length)} may be mmapped now: 0, or {@code -errno}. */
    long mmapCheck(KernelCtx ctx, long offset, long length);
}
