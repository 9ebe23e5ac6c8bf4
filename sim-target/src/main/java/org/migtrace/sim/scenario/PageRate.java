package org.migtrace.sim.scenario;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many 4 KiB pages a workload writes per second, exactly (a fraction is allowed and kept):
 * {@code 200000 pages/s}, or any {@link DataRate} spelling ({@code 1GB/s}, {@code 10Gbit/s}),
 * divided by the 4 KiB target page.
 */
public record PageRate(BigDecimal pagesPerSecond) implements Comparable<PageRate> {
    public static final PageRate ZERO = new PageRate(BigDecimal.ZERO);
    static final BigDecimal PAGE = BigDecimal.valueOf(4096);

    private static final Map<String, BigDecimal> UNITS = new LinkedHashMap<>();

    static {
        UNITS.put("pages/s", BigDecimal.ONE);
        UNITS.put("page/s", BigDecimal.ONE);
        for (var e : DataRate.UNITS.entrySet()) {
            if (!e.getKey().isEmpty()) {
                // 4096 = 2^12, so the quotient of a finite decimal is finite: divide is exact.
                UNITS.put(e.getKey(), e.getValue().divide(PAGE));
            }
        }
    }

    public PageRate {
        if (pagesPerSecond == null || pagesPerSecond.signum() < 0) {
            throw new IllegalArgumentException("negative or missing page rate " + pagesPerSecond);
        }
        pagesPerSecond = pagesPerSecond.stripTrailingZeros();
    }

    public static PageRate ofPagesPerSecond(long pages) {
        return new PageRate(BigDecimal.valueOf(pages));
    }

    /**
     * Parses {@code 200000 pages/s}, {@code 1.5 pages/s}, {@code 1GB/s}.
     *
     * @throws IllegalArgumentException for a malformed value or an unknown unit
     */
    public static PageRate parse(String text) {
        return new PageRate(Units.parse(text, "page rate", "200000 pages/s", UNITS));
    }

    /** Whether no page is ever written. */
    public boolean isZero() {
        return pagesPerSecond.signum() == 0;
    }

    @Override
    public int compareTo(PageRate o) {
        return pagesPerSecond.compareTo(o.pagesPerSecond);
    }

    @Override
    public String toString() {
        return pagesPerSecond.toPlainString() + " pages/s";
    }
}
