package org.migtrace.sim.scenario;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An IOVA range a device writes into ({@code start} and {@code size} in bytes, 4 KiB aligned). With
 * no vIOMMU, IOVA = guest-physical address; parts outside guest RAM fault in the IOMMU.
 *
 * @param start  first byte; required
 * @param size   length; required, positive
 */
public record RangeSpec(
        @JsonProperty("start") ByteSize start,
        @JsonProperty("size") ByteSize size) {

    public RangeSpec {
        if (start == null) {
            throw InvalidFieldException.missing("start");
        }
        if (size == null) {
            throw InvalidFieldException.missing("size");
        }
        InvalidFieldException.require(start.bytes() % 4096 == 0, "start", start + " is not 4KiB aligned");
        InvalidFieldException.require(size.bytes() > 0 && size.bytes() % 4096 == 0, "size",
                "must be a positive multiple of 4KiB");
        InvalidFieldException.require(start.bytes() + size.bytes() > start.bytes(), "size", "range wraps past 2^63");
    }

    /** First byte past the range. */
    public long end() {
        return start.bytes() + size.bytes();
    }
}
