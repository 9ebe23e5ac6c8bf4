package org.migtrace.sim.scenario;

/** Where a workload writes, page by page. */
public enum AccessPattern implements Labeled {
    /** Every page of the range equally likely. */
    UNIFORM,
    /** A contiguous fraction of the range, uniform inside it. */
    HOT_SET,
    /** Page ranks drawn with probability proportional to {@code 1/k^s}. */
    ZIPF,
    /** A cursor walking the range page after page, wrapping at the end. */
    SWEEP;

    @Override
    public String toString() {
        return label();
    }
}
