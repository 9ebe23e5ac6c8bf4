package org.migtrace.sim.guest;

import java.util.SplittableRandom;

/**
 * Exact Zipf sampling over ranks {@code 1..n} with {@code P(k)} proportional to {@code k^-s}
 * ({@code s > 0}), by rejection-inversion (W. Hörmann and G. Derflinger, "Rejection-inversion to
 * generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996). Constant expected
 * time per draw whatever {@code n}; no table.
 *
 * <p>The method inverts {@code H}, an integral of the hat function {@code h(x) = x^-s}, to turn a
 * uniform draw into a real {@code x}, rounds it to a rank, and accepts the rank unless it falls in
 * the small sliver where the hat lies above the histogram. {@code H} and its inverse are written
 * with {@code expm1}/{@code log1p} forms so that {@code s} near 1 (where {@code H} becomes a log)
 * stays accurate.
 */
public final class ZipfSampler {
    private final long n;
    private final double s;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double sDiv;

    public ZipfSampler(long n, double s) {
        if (n < 1 || !(s > 0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException("zipf over " + n + " ranks with exponent " + s);
        }
        this.n = n;
        this.s = s;
        this.hIntegralX1 = hIntegral(1.5) - 1.0; // h(1) = 1
        this.hIntegralN = hIntegral(n + 0.5);
        this.sDiv = 2.0 - hIntegralInverse(hIntegral(2.5) - h(2.0));
    }

    /** A rank in {@code [1, n]}. */
    public long sample(SplittableRandom rng) {
        while (true) {
            double u = hIntegralN + rng.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= sDiv || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    /** {@code h(x) = x^-s}. */
    private double h(double x) {
        return Math.exp(-s * Math.log(x));
    }

    /** {@code H(x) = (x^(1-s) - 1) / (1 - s)}, which is {@code ln x} at {@code s = 1}. */
    private double hIntegral(double x) {
        double lx = Math.log(x);
        return expm1OverX((1.0 - s) * lx) * lx;
    }

    /** The inverse of {@link #hIntegral}. */
    private double hIntegralInverse(double y) {
        double t = y * (1.0 - s);
        if (t < -1.0) {
            t = -1.0; // rounding can push it past the domain edge
        }
        return Math.exp(log1pOverX(t) * y);
    }

    /** {@code (e^t - 1) / t}, 1 at 0. */
    private static double expm1OverX(double t) {
        return Math.abs(t) < 1e-12 ? 1.0 + t / 2 : Math.expm1(t) / t;
    }

    /** {@code ln(1 + t) / t}, 1 at 0. */
    private static double log1pOverX(double t) {
        return Math.abs(t) < 1e-12 ? 1.0 - t / 2 : Math.log1p(t) / t;
    }
}
