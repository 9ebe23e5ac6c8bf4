package org.migtrace.sim.scenario;

/** Where a workload writes, page by page. */
public enum AccessPattern implements Labeled {
    /** Every page of the range equally likely. */
    UNIFORM("uniform"),
    /** A contiguous fraction of the range, uniform inside it. */
    HOT_SET("hot-set"),
    /** Page ranks drawn with probability proportional to {@code 1/k^s}. */
    ZIPF("zipf"),
    /** A cursor walking the range page after page, wrapping at the end. */
    SWEEP("sweep");

    private final String label;

    AccessPattern(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
