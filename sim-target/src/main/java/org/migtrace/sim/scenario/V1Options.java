package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Options of a v1 (migration region) device.
 *
 * @param ndma         whether the device implements the proposed NDMA bit (never merged; Dec 2021 RFC); default false
 * @param dataSection  trap or sparse-mmap: how the region's data section is reached; default trap
 */
public record V1Options(
        @JsonProperty("ndma") Boolean ndma,
        @JsonProperty("data-section") V1DataSection dataSection) {

    public static final V1Options DEFAULT = new V1Options(null, null);

    public V1Options {
        ndma = ndma == null ? Boolean.FALSE : ndma;
        dataSection = dataSection == null ? V1DataSection.TRAP : dataSection;
    }
}
