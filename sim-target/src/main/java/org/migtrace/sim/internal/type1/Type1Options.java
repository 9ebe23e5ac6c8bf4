package org.migtrace.sim.internal.type1;

import java.util.List;
import org.migtrace.sim.internal.vfio.IovaRange;

/**
 * How the type1 backend of one host behaves where the kernel leaves it to configuration or
 * hardware.
 *
 * @param kernel            which kernel's argument checks to model
 * @param dmaEntryLimit     the {@code dma_entry_limit} module parameter (mappings per container)
 * @param memlockLimitBytes {@code RLIMIT_MEMLOCK} of the VMM; {@link Long#MAX_VALUE} means no limit
 *                          applies (unlimited, or {@code CAP_IPC_LOCK}, as QEMU usually runs)
 * @param apertureEnd       last IOVA of every IOMMU domain's aperture (the domain geometry; x86
 *                          VT-d with a 48-bit address width by default)
 * @param reservedRegions   reserved IOVA ranges of every IOMMU group
 *                          ({@code iommu_get_group_resv_regions}; on x86 the MSI window
 *                          {@code 0xfee00000-0xfeefffff})
 */
public record Type1Options(Type1Kernel kernel, int dmaEntryLimit, long memlockLimitBytes, long apertureEnd,
                           List<IovaRange> reservedRegions) {
    /** {@code U16_MAX}: the default {@code dma_entry_limit}. */
    public static final int DEFAULT_DMA_ENTRY_LIMIT = 65535;
    /** The x86 interrupt (MSI) window, {@code IOMMU_RESV_MSI}. */
    public static final IovaRange X86_MSI = new IovaRange(0xfee0_0000L, 0x10_0000L);

    public Type1Options {
        if (dmaEntryLimit < 0 || memlockLimitBytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        reservedRegions = List.copyOf(reservedRegions);
    }

    /** A current kernel on x86 with no memlock limit. */
    public static Type1Options defaults() {
        return new Type1Options(Type1Kernel.CURRENT, DEFAULT_DMA_ENTRY_LIMIT, Long.MAX_VALUE, (1L << 48) - 1,
                List.of(X86_MSI));
    }

    public Type1Options withKernel(Type1Kernel k) {
        return new Type1Options(k, dmaEntryLimit, memlockLimitBytes, apertureEnd, reservedRegions);
    }

    public Type1Options withDmaEntryLimit(int limit) {
        return new Type1Options(kernel, limit, memlockLimitBytes, apertureEnd, reservedRegions);
    }

    public Type1Options withMemlockLimit(long bytes) {
        return new Type1Options(kernel, dmaEntryLimit, bytes, apertureEnd, reservedRegions);
    }

    /** Whether RLIMIT_MEMLOCK is enforced. */
    boolean memlockLimited() {
        return memlockLimitBytes != Long.MAX_VALUE;
    }
}
