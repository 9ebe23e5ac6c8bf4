package org.migtrace.sim.scenario;

/**
 * How a v1 device exposes the data section of its migration region: trapped (every access is a
 * {@code read}/{@code write} on the device fd) or mmap-able through a sparse-mmap capability.
 */
public enum V1DataSection implements Labeled {
    TRAP,
    SPARSE_MMAP;

    @Override
    public String toString() {
        return label();
    }
}
