package org.migtrace.sim.internal.type1;

/**
 * Which kernel's type1 argument checks to model. The 2025 series "vfio/type1: handle DMA map/unmap
 * up to the addressable limit" (Alex Mastro, merged for 6.19) moved the wrap checks of
 * {@code MAP_DMA}, {@code UNMAP_DMA} and {@code DIRTY_PAGES} ahead of the others and made them
 * return {@code EOVERFLOW}; before it they returned {@code EINVAL} later in the order, and
 * {@code vfio_pin_pages} accepted a negative page count.
 */
public enum Type1Kernel {
    /** 6.19 and later: {@code check_add_overflow} → {@code EOVERFLOW}. */
    CURRENT,
    /** 6.13 to 6.18: wrap → {@code EINVAL} (as in the reference's 5.15 notes). */
    BEFORE_6_19
}
