package org.migtrace.sim.scenario;

/**
 * The guest CPU vendor. It matters to the memory layout: QEMU moves RAM above 4 GiB to 1 TiB on AMD
 * when it would reach the HyperTransport hole ({@code hw/i386/pc.c}, {@code pc_memory_init}).
 */
public enum CpuVendor implements Labeled {
    INTEL,
    AMD;

    @Override
    public String toString() {
        return label();
    }
}
