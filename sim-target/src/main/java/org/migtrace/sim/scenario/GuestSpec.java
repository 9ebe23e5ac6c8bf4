package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The guest: how much RAM, what backs it, how many vCPUs. Guest-physical layout follows QEMU's q35
 * machine (see {@code org.migtrace.sim.guest.GuestLayout}).
 *
 * @param memory          guest RAM ({@code -m}); required; a multiple of {@code backing}
 * @param backing         host page size backing RAM: 4KiB (anonymous memory) or hugetlbfs 2MiB / 1GiB; default 4KiB
 * @param vcpus           number of vCPUs; default 1
 * @param cpuVendor       intel or amd (AMD moves RAM above 4 GiB past the 1 TiB HyperTransport hole); default intel
 * @param maxRamBelow4g   the q35 machine option {@code max-ram-below-4g}; at most 4GiB (its default)
 */
public record GuestSpec(
        @JsonProperty("memory") ByteSize memory,
        @JsonProperty("backing") ByteSize backing,
        @JsonProperty("vcpus") Integer vcpus,
        @JsonProperty("cpu-vendor") CpuVendor cpuVendor,
        @JsonProperty("max-ram-below-4g") ByteSize maxRamBelow4g) {

    public GuestSpec {
        if (memory == null) {
            throw InvalidFieldException.missing("memory");
        }
        backing = backing == null ? ByteSize.SZ_4K : backing;
        vcpus = vcpus == null ? 1 : vcpus;
        cpuVendor = cpuVendor == null ? CpuVendor.INTEL : cpuVendor;
        maxRamBelow4g = maxRamBelow4g == null ? new ByteSize(1L << 32) : maxRamBelow4g;
        InvalidFieldException.require(backing.equals(ByteSize.SZ_4K) || backing.equals(ByteSize.SZ_2M)
                || backing.equals(ByteSize.SZ_1G), "backing", "must be 4KiB, 2MiB or 1GiB, not " + backing);
        InvalidFieldException.require(memory.bytes() > 0, "memory", "must not be zero");
        // hugetlbfs mappings come in whole huge pages; QEMU refuses a backend size that is not a multiple.
        InvalidFieldException.require(memory.bytes() % backing.bytes() == 0, "memory",
                memory + " is not a multiple of the " + backing + " backing page size");
        InvalidFieldException.require(vcpus >= 1, "vcpus", "must be at least 1");
        // pc_machine_set_max_ram_below_4g (hw/i386/pc.c) rejects values above 4 GiB.
        InvalidFieldException.require(maxRamBelow4g.bytes() <= 1L << 32, "max-ram-below-4g",
                "must be at most 4GiB (QEMU rejects larger values)");
        InvalidFieldException.require(maxRamBelow4g.bytes() % 4096 == 0 && maxRamBelow4g.bytes() > 0,
                "max-ram-below-4g", "must be a positive multiple of 4KiB");
    }

    /** A guest of {@code memory} bytes backed by 4 KiB pages, with one vCPU. */
    public static GuestSpec of(ByteSize memory) {
        return new GuestSpec(memory, null, null, null, null);
    }
}
