package org.migtrace.sim.guest;

import java.util.ArrayList;
import java.util.List;
import org.migtrace.sim.mem.UserMemory;
import org.migtrace.sim.scenario.CpuVendor;
import org.migtrace.sim.scenario.GuestSpec;

/**
 * Where guest RAM sits in guest-physical space on QEMU's q35 machine: one RAM block split into
 * {@code ram-below-4g} at GPA 0 and {@code ram-above-4g} from 4 GiB (or from 1 TiB on AMD when the
 * HyperTransport hole is in the way).
 *
 * <p>The split is {@code pc_q35_init} ({@code hw/i386/pc_q35.c}): RAM of 0xb0000000 bytes or more
 * keeps 2 GiB below 4 GiB (so that 1 GiB-aligned guest addresses stay 1 GiB aligned on the host),
 * smaller RAM may use up to 0xb0000000 (leaving room for the 32-bit PCI hole and MMCONFIG); the
 * {@code max-ram-below-4g} machine option lowers that. The AMD relocation is
 * {@code pc_memory_init} ({@code hw/i386/pc.c}, machine types 7.1+): if the highest guest-physical
 * address in use (the 64-bit PCI hole, which starts at the end of RAM rounded up to 1 GiB and is
 * 32 GiB on q35) reaches {@code AMD_HT_START}, RAM above 4 GiB starts at 1 TiB.
 *
 * <p>Not modelled: the legacy VGA/PAM holes below 1 MiB (QEMU overlays them on {@code ram-below-4g},
 * splitting its KVM memslot; they do not change what migration copies), hot-pluggable memory
 * ({@code maxmem}), SGX EPC and CXL windows.
 *
 * @param ramSize       total guest RAM
 * @param below4g       bytes of RAM at GPA 0
 * @param above4g       bytes of RAM at {@code above4gStart}
 * @param above4gStart  where the rest of RAM starts: 4 GiB, or 1 TiB on AMD
 */
public record GuestLayout(long ramSize, long below4g, long above4g, long above4gStart) {
    public static final long GIB = 1L << 30;
    public static final long FOUR_GIB = 4L << 30;
    /** {@code AMD_HT_START} in {@code hw/i386/pc.c}. */
    public static final long AMD_HT_START = 0xfd_0000_0000L;
    /** {@code AMD_ABOVE_1TB_START}: the first address past the HyperTransport hole. */
    public static final long AMD_ABOVE_1TB_START = 0x100_0000_0000L;
    /** {@code Q35_PCI_HOST_HOLE64_SIZE_DEFAULT} in {@code hw/pci-host/q35.c}. */
    public static final long Q35_PCI_HOLE64_SIZE = 1L << 35;

    public GuestLayout {
        if (ramSize <= 0 || below4g < 0 || above4g < 0 || below4g + above4g != ramSize || below4g > FOUR_GIB
                || above4gStart < FOUR_GIB) {
            throw new IllegalArgumentException(String.format("inconsistent layout: ram 0x%x = 0x%x below + 0x%x above at 0x%x",
                    ramSize, below4g, above4g, above4gStart));
        }
    }

    /** The layout of {@code spec}'s guest. */
    public static GuestLayout of(GuestSpec spec) {
        return q35(spec.memory().bytes(), spec.maxRamBelow4g().bytes(), spec.cpuVendor());
    }

    /** The q35 layout of {@code ramSize} bytes of RAM ({@code maxRamBelow4g} 0 means the default, 4 GiB). */
    public static GuestLayout q35(long ramSize, long maxRamBelow4g, CpuVendor vendor) {
        long lowmem = ramSize >= 0xb000_0000L ? 0x8000_0000L : 0xb000_0000L;
        long maxBelow = maxRamBelow4g == 0 ? FOUR_GIB : maxRamBelow4g;
        if (lowmem > maxBelow) {
            lowmem = maxBelow;
        }
        long below = ramSize >= lowmem ? lowmem : ramSize;
        long above = ramSize - below;
        long start = FOUR_GIB;
        if (vendor == CpuVendor.AMD && maxUsedGpa(start, above) >= AMD_HT_START) {
            start = AMD_ABOVE_1TB_START;
        }
        return new GuestLayout(ramSize, below, above, start);
    }

    /** {@code pc_max_used_gpa} for a 64-bit CPU: the last byte of the 64-bit PCI hole. */
    private static long maxUsedGpa(long above4gStart, long above4g) {
        long hole64Start = UserMemory.alignUp(above4gStart + above4g, GIB);
        return hole64Start + Q35_PCI_HOLE64_SIZE - 1;
    }

    /** The RAM ranges in RAM-block order: {@code ram-below-4g}, then {@code ram-above-4g} if any. */
    public List<Range> ranges() {
        List<Range> out = new ArrayList<>(2);
        out.add(new Range("ram-below-4g", 0, below4g, 0));
        if (above4g > 0) {
            out.add(new Range("ram-above-4g", above4gStart, above4g, below4g));
        }
        return out;
    }

    /**
     * One guest-physical RAM range: an alias into the RAM block.
     *
     * @param name       QEMU's memory-region alias name
     * @param gpa        guest-physical start
     * @param size       bytes
     * @param ramOffset  offset into the RAM block
     */
    public record Range(String name, long gpa, long size, long ramOffset) {
    }
}
